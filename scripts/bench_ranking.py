"""Benchmark of the chair's ranking on a large cycle, in a throwaway database.

Creates <database>_bench next to the database of DATABASE_URL, migrates it, fills one cycle with (by default)
1,000 nominations, 50 jurors and 6 criteria, every juror reviewing every nomination (300,000 scores, written with
COPY), then times the ranking several times and prints the median. The database is dropped afterwards unless
--keep is given. It measures and prints; it is not a test and sets no time limit.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lastensuojeluteko python scripts/bench_ranking.py
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import dj_database_url
import psycopg
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lastensuojeluteko"


def admin_connection(config):
    return psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def recreate(config, name: str) -> None:
    with admin_connection(config) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop(config, name: str) -> None:
    with admin_connection(config) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def copy_rows(table: str, columns: list[str], rows) -> None:
    from django.db import connection

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def populate(nominations: int, jurors: int, criteria: int, seed: int):
    from django.utils import timezone

    from accounts.models import User
    from awards.models import Award, AwardCycle, Criterion, JuryMembership, Nomination, Review, Score
    from practices.models import Organisation, Practice

    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    now = timezone.now()
    award = Award.objects.create(slug="bench", name_fi="Vertailu")
    cycle = AwardCycle.objects.create(
        award=award,
        year=2099,
        state=AwardCycle.State.SCORING,
        chair_scores=False,  # the chair reads the ranking without scoring: it is open to them from the start
        nominations_open_at=now - timedelta(days=60),
        nominations_close_at=now - timedelta(days=30),
    )
    criterion_objects = Criterion.objects.bulk_create(
        Criterion(cycle=cycle, order=i, name_fi=f"Kriteeri {i + 1}", weight=1 + i % 3) for i in range(criteria)
    )
    users = User.objects.bulk_create(
        User(email=f"juror{i}@bench.invalid", first_name="Juror", last_name=str(i)) for i in range(jurors + 1)
    )
    chair, juror_users = users[0], users[1:]
    JuryMembership.objects.bulk_create(
        [JuryMembership(cycle=cycle, user=chair, role=JuryMembership.Role.CHAIR)]
        + [JuryMembership(cycle=cycle, user=u) for u in juror_users]
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Vertailukunta {i}", kind=Organisation.Kind.MUNICIPALITY) for i in range(nominations)
    )
    practices = Practice.objects.bulk_create(
        Practice(name=f"Toimintamalli {i}", slug=f"toimintamalli-{i}") for i in range(nominations)
    )
    nomination_objects = Nomination.objects.bulk_create(
        Nomination(
            cycle=cycle,
            organisation=organisations[i],
            practice=practices[i],
            name=practices[i].name,
            state=Nomination.State.SUBMITTED,
            eligibility=Nomination.Eligibility.ELIGIBLE,
            submitted_at=now - timedelta(days=31),
            reference=f"LST-2099-{i + 1:04d}",
        )
        for i in range(nominations)
    )
    # Each juror has a bias, so that normalisation has something to do.
    bias = {u.pk: rng.uniform(-1, 1) for u in juror_users}
    copy_rows(
        Review._meta.db_table,
        [
            "juror_id",
            "nomination_id",
            "state",
            "abstain",
            "abstain_reason",
            "overall_comment",
            "created_at",
            "updated_at",
            "submitted_at",
            "first_submitted_at",
            "version",
            "criterion_scores",
            "score_sum",
            "score_count",
        ],
        (
            (u.pk, n.pk, "submitted", False, "", "", now, now, now, now, 1, [], 0, 0)
            for n in nomination_objects
            for u in juror_users
        ),
    )
    # Read the reviews before COPY starts: the connection cannot read while it copies.
    reviews = list(Review.objects.filter(nomination__cycle=cycle).values_list("pk", "juror_id"))
    copy_rows(
        Score._meta.db_table,
        ["review_id", "criterion_id", "value", "comment", "scale_min", "scale_max"],
        (
            (review_id, c.pk, min(5, max(1, round(rng.gauss(3 + bias[juror_id], 1)))), "", 1, 5)
            for review_id, juror_id in reviews
            for c in criterion_objects
        ),
    )
    # COPY sends no signals: the reviews' stored tallies are written as the command refresh_review_tallies would.
    from awards.services.jury import reviews_tally_refresh

    started = time.perf_counter()
    reviews_tally_refresh(reviews=Review.objects.filter(nomination__cycle=cycle))
    print(f"Stored the tallies of {len(reviews)} reviews in {time.perf_counter() - started:.1f} s.")
    # Conflicts as a real jury has them: a tenth of the jurors work for a nominating organisation (one each, so
    # their reviews of that organisation's nomination are left out), and one nomination in fifty has a declared
    # conflict, so that the ranking's conflict tests run on every review rather than being skipped.
    from accounts.models import OrganisationMembership
    from awards.models import ConflictOfInterest

    OrganisationMembership.objects.bulk_create(
        OrganisationMembership(user=u, organisation=organisations[i]) for i, u in enumerate(juror_users[::10])
    )
    ConflictOfInterest.objects.bulk_create(
        ConflictOfInterest(
            user=juror_users[i % len(juror_users)],
            nomination=n,
            source=ConflictOfInterest.Source.DECLARED,
            reason="Vertailu",
        )
        for i, n in enumerate(nomination_objects[::50])
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return chair, cycle, Score.objects.count()


def raw_aggregate_seconds() -> float:
    """The floor: one aggregate over every score, nothing else (the machine's speed at this moment)."""
    from django.db import connection

    from awards.models import Review, Score

    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            f"SELECT r.nomination_id, AVG(s.value) FROM {Score._meta.db_table} s "  # noqa: S608 (table names)
            f"JOIN {Review._meta.db_table} r ON r.id = s.review_id GROUP BY 1"
        )
        cursor.fetchall()
        return time.perf_counter() - started


def page_seconds(chair, cycle, runs: int) -> tuple[float, float]:
    """The median time of the whole ranking page for the chair (Django's test client, signed in with a second
    factor), and of its template's rendering within it."""
    from django.conf import settings
    from django.template.response import TemplateResponse
    from django.test import Client
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    device = TOTPDevice.objects.create(user=chair, name="bench", confirmed=True)
    client = Client()
    client.force_login(chair)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    url = reverse("awards:jury_ranking", kwargs={"year": cycle.year})
    renders = []
    render = TemplateResponse.render

    def timed_render(response):
        started = time.perf_counter()
        rendered = render(response)
        renders.append(time.perf_counter() - started)
        return rendered

    TemplateResponse.render = timed_render
    try:
        pages = []
        for _run in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            pages.append(time.perf_counter() - started)
            if response.status_code != 200 or b"ranking-caption" not in response.content:
                raise SystemExit(f"The ranking page answered {response.status_code} without the ranking.")
    finally:
        TemplateResponse.render = render
    return statistics.median(pages), statistics.median(renders)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nominations", type=int, default=1000)
    parser.add_argument("--jurors", type=int, default=50)
    parser.add_argument("--criteria", type=int, default=6)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args()

    config = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_URL))
    name = f"{config['NAME']}_bench"
    bench_url = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_URL))
    recreate(config, name)
    os.environ["DATABASE_URL"] = (
        f"postgres://{config['USER'] or ''}{':' + config['PASSWORD'] if config['PASSWORD'] else ''}@"
        f"{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{name}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(BASE_DIR))
    del bench_url
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from awards.selectors.jury import ranking

        print(f"Database {name}: migrating…", flush=True)
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        chair, cycle, scores = populate(args.nominations, args.jurors, args.criteria, args.seed)
        print(
            f"Created {args.nominations} nominations, {args.jurors} jurors, {args.criteria} criteria, "
            f"{scores} scores in {time.perf_counter() - started:.1f} s."
        )
        # The ranking and the raw aggregate in turn, so that both see the machine in the same state.
        timings, floors = [], []
        for _run in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = ranking(chair, cycle)
                timings.append(time.perf_counter() - started)
            floors.append(raw_aggregate_seconds())
        print(f"Ranking of {len(result.rows)} nominations in {len(queries)} queries.")
        print("Runs (ms): " + ", ".join(f"{t * 1000:.0f}" for t in timings))
        print(f"Median: {statistics.median(timings) * 1000:.0f} ms (first run includes a cold cache)")
        floor = statistics.median(floors)
        print(
            f"Raw aggregate over the {scores} scores, run after each ranking: median {floor * 1000:.0f} ms; "
            f"the ranking takes {statistics.median(timings) / floor:.1f} times that"
        )
        page, render = page_seconds(chair, cycle, args.runs)
        print(
            f"The ranking page as the chair gets it (signed in, through the middleware, both tables of "
            f"{len(result.rows)} rows): median {page * 1000:.0f} ms, of which {render * 1000:.0f} ms rendering "
            "the template."
        )
        top = result.rows[0]
        print(f"Top: {top.name} weighted {top.weighted:.3f}, normalised {top.normalised:.3f}, {top.reviews} reviews")
        print(f"Reviews left out for a conflict of interest: {sum(r.left_out for r in result.rows)}")
        connection.close()
    finally:
        if not args.keep:
            drop(config, name)
            print(f"Dropped {name}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
