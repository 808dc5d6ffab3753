"""Benchmark of the practice library search: 20,000 practices, the database time of typical searches.

Usage (from the repository root):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lastensuojeluteko python scripts/bench_search.py
    python scripts/bench_search.py --practices 20000 --runs 15
    python scripts/bench_search.py --in-place   # add the rows to DATABASE_URL itself and delete them afterwards

By default it creates a throwaway database next to the one DATABASE_URL names (same server), migrates it, fills
it, measures and drops it. It prints, for each typical search, the median over several runs of:
  - the execution and planning time of the result page's query (EXPLAIN ANALYZE),
  - the database time of the whole library page (every query of the page, timed around the cursor),
  - the server time of the whole library page, uncached: the shared cache is emptied before every request, so
    the public copy, the facet counts and the public version are all computed afresh (the figure the issue's
    50 ms bound is about),
  - the server time of the same page when only its facet counts are cached (another page of the same search), and
  - the server time of the search itself, uncached: the Voikko analysis of the query (its memo emptied before
    each run) and the result page's and count's queries, as the library page and the API run them;
and then the time of indexing a practice when it is saved (the save and its search document, Voikko included),
and when a link is added. Before and after, it prints two probes of the machine's speed that do not depend on
the library's code (a fixed template rendered, a fixed aggregate): compare figures of two runs only beside them.
It measures and prints; it does not fail on a slow machine.
"""

import argparse
import os
import random
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lastensuojeluteko"

# Inflected Finnish words, so that the stemmer has real work and searches match varied forms; vocabulary() adds
# the relevance set's words to them, and sentence() draws from the result with Zipf-like weights.
FI_WORDS = (  # noqa: SIM905 (a word list reads better as prose)
    "lapsi lapsen lapselle lapsia lasten lapsille nuori nuoren nuorille nuorten koulu koulussa koulun kouluun "
    "neuvola neuvolassa neuvolan tuki tukea tuen tukena arki arjessa arkeen kotikäynti kotikäynnit kotona kotiin "
    "sosiaalityö sosiaalityön sosiaalityöntekijä työntekijät työntekijöiden tiimi tiimissä tiimin yhteistyö "
    "yhteistyössä palvelu palvelut palveluja palveluihin varhainen varhain ennaltaehkäisy ennaltaehkäisevä "
    "sijaishuolto sijaishuollossa sijoitettu sijoitetut vanhemmat vanhempien vanhemmille mielenterveys "
    "päihdetyö päihdepalvelut osallisuus osallistuminen kokemusasiantuntija kokemusasiantuntijat ryhmä ryhmässä "
    "ryhmät kehittäminen kehittämistyö malli mallin mallissa toimintamalli arviointi vaikuttavuus koulutus "
    "mentorointi verkosto verkoston kunta kunnan kunnassa hyvinvointialue hyvinvointialueella"
).split()
FAMILY_WORDS = "perhe perheen perheelle perheille perheiden perheissä perheet perhettä perhetyö perhekeskus".split()  # noqa: SIM905
SV_WORDS = "barn barnen familj familjer familjerna stöd stödet skola skolan socialarbete team nätverk unga".split()  # noqa: SIM905
EN_WORDS = "child children family families support school social work team network young people parents".split()  # noqa: SIM905


def vocabulary(language: str) -> list[str]:
    """Realistic vocabularies: every word of the relevance set's practices in the language (about a thousand
    Finnish ones) after the short list above, for texts whose words are as varied as real descriptions."""
    import json
    import re

    rows = json.loads((ROOT / "tests" / "library" / "relevance" / "practices.json").read_text(encoding="utf-8"))
    base = {"fi": FI_WORDS, "sv": SV_WORDS, "en": EN_WORDS}[language]
    words = [
        w.lower()
        for row in rows
        if row["language"] == language
        for field in ("name", "summary", "basic_idea", "achieved_changes")
        for w in re.findall(r"[^\W\d_]+", row[field])
    ]
    return list(dict.fromkeys([*base, *words]))


def sentence(rng: random.Random, words: list[str], n: int, family: bool) -> str:
    # Zipf-like: the first words of the vocabulary are common, the rest rare, as in real texts.
    weights = [1 / (rank + 1) for rank in range(len(words))]
    chosen = rng.choices(words, weights=weights, k=n)
    if family:
        chosen[rng.randrange(n)] = rng.choice(FAMILY_WORDS)
    return " ".join(chosen).capitalize() + "."


def database_url_named(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def throwaway_database(base_url: str):
    """CREATE DATABASE next to the one in base_url, yield its URL, DROP it at the end."""
    import psycopg

    name = f"bench_search_{os.getpid()}"
    admin_url = database_url_named(base_url, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url_named(base_url, name)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"Dropped the throwaway database {name}.")


def populate(n: int, *, awards: bool = True, seed: int = 2026) -> None:
    """Bulk-create n practices with links, and (in a throwaway database) a published award history."""
    from django.db import connection, transaction

    from practices.models import Municipality, Organisation, Practice, TargetGroup, Theme

    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    vocabularies = {lang: vocabulary(lang) for lang in ("fi", "sv", "en")}
    for words in vocabularies.values():
        rng.shuffle(words)
    themes = list(Theme.objects.values_list("pk", flat=True))
    groups = list(TargetGroup.objects.values_list("pk", flat=True))
    municipalities = list(Municipality.objects.current().values_list("code", "county_id"))
    started = time.perf_counter()
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Bench organisation {i}", kind=rng.choice(Organisation.Kind.values)) for i in range(500)
        )
        practices = []
        for i in range(n):
            language = rng.choices(["fi", "sv", "en"], weights=[90, 5, 5])[0]
            words = vocabularies[language]
            family = language == "fi" and rng.random() < 0.1
            practices.append(
                Practice(
                    slug=f"bench-{i}",
                    name=sentence(rng, words, 4, family and rng.random() < 0.3).rstrip("."),
                    summary=sentence(rng, words, 25, family),
                    basic_idea=" ".join(sentence(rng, words, 15, False) for _ in range(4)),
                    achieved_changes=sentence(rng, words, 20, False),
                    evaluation=sentence(rng, words, 20, False),
                    language=language,
                    is_public=rng.random() < 0.8,
                )
            )
        practices = Practice.objects.bulk_create(practices, batch_size=2000)
        links = Practice
        theme_rows, group_rows, municipality_rows, county_rows, organisation_rows = [], [], [], [], []
        for practice in practices:
            for theme in rng.sample(themes, rng.randint(1, 3)):
                theme_rows.append(links.themes.through(practice_id=practice.pk, theme_id=theme))
            for group in rng.sample(groups, rng.randint(1, 2)):
                group_rows.append(links.target_groups.through(practice_id=practice.pk, targetgroup_id=group))
            places = rng.sample(municipalities, rng.randint(1, 2))
            for code, _county in places:
                municipality_rows.append(links.municipalities.through(practice_id=practice.pk, municipality_id=code))
            for county in {county for _code, county in places if county}:
                county_rows.append(links.counties.through(practice_id=practice.pk, wellbeingservicescounty_id=county))
            organisation_rows.append(
                links.organisations.through(practice_id=practice.pk, organisation_id=rng.choice(organisations).pk)
            )
        for rows in (theme_rows, group_rows, municipality_rows, county_rows, organisation_rows):
            type(rows[0]).objects.bulk_create(rows, batch_size=5000)

        if awards:
            _award_history(rng, practices)
    print(f"Created {n} practices with their links in {time.perf_counter() - started:.1f} s.")
    index_all()
    if awards:
        # bulk_create sends no signals: the stored publicity is written as refresh_practice_publicity does.
        from awards.services.publication import practices_publicity_refresh

        practices_publicity_refresh()
    with connection.cursor() as cursor:
        # What autovacuum does within a minute of such a load: statistics, and the visibility map that lets
        # counting the public practices read the index alone.
        cursor.execute("VACUUM ANALYZE")


def index_all() -> None:
    """bulk_create bypasses the save signal: write every search document as update_search_index does."""
    from practices.models import Practice
    from practices.search.analysis import analyser_status
    from practices.search.index import linked_for_index, practices_index

    started = time.perf_counter()
    ids = list(Practice.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        practices_index(linked_for_index(Practice.objects.filter(pk__in=ids[start : start + 1000])))
    print(f"Indexed {len(ids)} practices in {time.perf_counter() - started:.1f} s ({analyser_status()}).")


def _award_history(rng: random.Random, practices) -> None:
    """13 published award years, each naming 30 nominees of whom 5 have a result."""
    from django.utils import timezone

    from awards.models import Award, AwardCycle, Decision, DecisionEntry, Nomination

    award, _created = Award.objects.get_or_create(
        slug="kunnallinen-lastensuojeluteko", defaults={"name_fi": "Kunnallinen lastensuojeluteko"}
    )
    now = timezone.now()
    for year in range(2013, 2026):
        cycle, _created = AwardCycle.objects.get_or_create(
            award=award,
            year=year,
            defaults={"state": AwardCycle.State.PUBLISHED, "results_published_at": now, "list_all_nominees": True},
        )
        decision, _created = Decision.objects.get_or_create(cycle=cycle, defaults={"state": "confirmed"})
        nominees = rng.sample(practices, 30)
        nominations = Nomination.objects.bulk_create(
            Nomination(
                cycle=cycle,
                practice=p,
                name=p.name,
                state=Nomination.State.SUBMITTED,
                submitted_at=now,
                consent_to_publish=True,
            )
            for p in nominees
        )
        DecisionEntry.objects.bulk_create(
            DecisionEntry(decision=decision, nomination=nomination, result=result)
            for nomination, result in zip(
                nominations,
                ["winner", "honourable_mention", "honourable_mention", "finalist", "finalist"],
                strict=False,
            )
        )


def explain_ms(queryset) -> tuple[float, float]:
    """(execution, planning) time in ms of the queryset's SQL, by EXPLAIN (ANALYZE, FORMAT JSON)."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = plan[0] if isinstance(plan, list) else plan
    return plan["Execution Time"], plan["Planning Time"]


class QueryTimer:
    """Sums the time spent in the database driver per request (every query of the page)."""

    def __init__(self):
        self.total = 0.0
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.total += time.perf_counter() - started
            self.count += 1


# The machine's speed at the moment of the figures (these benchmarks measure absolute times, which vary with the
# machine's load and its host several times over): a fixed template rendered, and a fixed aggregate over every
# practice's facet keys, both independent of the library's code. Figures of two runs compare only beside them.
_PROBE_TEMPLATE = (
    '{% for item in items %}<li class="{{ item.kind }}">{{ item.name|title }} ({{ item.n }})</li>{% endfor %}'
)


def machine_probes(runs: int) -> tuple[float, float]:
    """(Python, PostgreSQL) medians in ms: the probe template of 2,000 items rendered by Django's engine, and
    count(*) over every practice's facet keys unnested."""
    from django.db import connection
    from django.template import Context, Template

    from practices.models import Practice

    template = Template(_PROBE_TEMPLATE)
    items = [{"kind": f"k{i % 7}", "name": f"nimi {i}", "n": i} for i in range(2000)]
    table = Practice._meta.db_table
    pythons, sqls = [], []
    for _run in range(runs):
        started = time.perf_counter()
        template.render(Context({"items": items}))
        pythons.append((time.perf_counter() - started) * 1000)
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(f"SELECT count(*) FROM (SELECT unnest(facet_keys) FROM {table}) s")  # noqa: S608 (our table)
            cursor.fetchone()
            sqls.append((time.perf_counter() - started) * 1000)
    return statistics.median(pythons), statistics.median(sqls)


def print_probes(when: str, runs: int) -> None:
    python, sql = machine_probes(runs)
    print(f"Machine speed {when}: probe template {python:.1f} ms, probe aggregate {sql:.1f} ms.")


def measure(runs: int) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from awards.selectors.publication import public_practices
    from library.selectors import LibraryFilters, search_practices
    from practices.models import Practice

    searches = [
        ("päihde (compound part)", {"q": "päihde"}),
        ("päihdehuolto (compound)", {"q": "päihdehuolto"}),
        ("perhetyo (no diacritics)", {"q": "perhetyo"}),
        ("Vantaa (place name)", {"q": "Vantaa"}),
        ("lastensuojelu kotikäynnit", {"q": "lastensuojelu kotikäynnit"}),
        ("perheille", {"q": "perheille"}),
        ("lastensuojelun tukea", {"q": "lastensuojelun tukea"}),
        ('"sosiaalityö tiimissä" -koulu', {"q": '"sosiaalityö tiimissä" -koulu'}),
        ("perheille + theme + region", {"q": "perheille", "theme": "perhetyo", "region": "01"}),
        ("theme + region, no text", {"theme": "perhetyo", "region": "01"}),
        ("familjer (sv)", {"q": "familjer"}),
        ("no text, page 1", {}),
    ]
    client = Client()
    url = reverse("library:library")
    print(f"\nPublic practices: {public_practices().count()} of {Practice.objects.count()}.")
    print(f"Median of {runs} runs, milliseconds.")
    print_probes("before", runs)
    print()
    header = (
        f"{'search':34} {'hits':>6} {'page query exec':>16} {'plan':>6} {'whole page DB':>14} {'queries':>8} "
        f"{'server, uncached':>17} {'facets cached':>14}"
    )
    print(header)
    print("-" * len(header))
    for label, params in searches:
        filters = LibraryFilters(**params)
        page_query = search_practices(filters)[:20]
        hits = search_practices(filters).count()
        explain_ms(page_query)  # warm the cache once
        executions, plannings, page_totals, servers, warm_facets = [], [], [], [], []
        queries = 0
        for _run in range(runs):
            execution, planning = explain_ms(page_query)
            executions.append(execution)
            plannings.append(planning)
            cache.clear()
            timer = QueryTimer()
            started = time.perf_counter()
            with connection.execute_wrapper(timer):
                response = client.get(url, params)
            servers.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"The library page answered {response.status_code} for {params}.")
            page_totals.append(timer.total * 1000)
            queries = timer.count
            # Page 2 of the same search: the facet counts of this public version are cached, the page is not.
            started = time.perf_counter()
            client.get(url, {**params, "page": "2"})
            warm_facets.append((time.perf_counter() - started) * 1000)
        print(
            f"{label:34} {hits:>6} {statistics.median(executions):>16.2f} {statistics.median(plannings):>6.2f} "
            f"{statistics.median(page_totals):>14.2f} {queries:>8} {statistics.median(servers):>17.1f} "
            f"{statistics.median(warm_facets):>14.1f}"
        )
    measure_front_page_after_a_change(client, url, runs)
    measure_facet_index(client, url, runs)
    measure_search_server_time(searches, runs)
    measure_indexing(runs)
    print()
    print_probes("after", runs)


def measure_front_page_after_a_change(client, url, runs: int) -> None:
    """The unfiltered front page keeps its facet counts in the database until public data changes (the table
    above reads them there after its first run): here a change is counted before every request, so the counts
    are computed and stored afresh, as for the first visitor after any public change."""
    from django.core.cache import cache

    from practices import public_version

    servers = []
    for _run in range(runs):
        public_version.public_data_changed()
        cache.clear()
        started = time.perf_counter()
        client.get(url)
        servers.append((time.perf_counter() - started) * 1000)
    median = statistics.median(servers)
    print(f"\nNo text, page 1, right after a public change (facet counts counted and stored): {median:.1f} ms")


def measure_facet_index(client, url, runs: int) -> None:
    """The process's index of facet values (library/facet_index.py), which the table above finds built (it is
    kept across the emptied shared cache while no public change is counted): its building alone, and a filtered
    page right after a public change, when the first request builds it again."""
    from django.core.cache import cache
    from django.utils import timezone

    from library import facet_index
    from practices import public_version

    builds = []
    for _run in range(runs):
        generation = facet_index.generation_now()
        started = time.perf_counter()
        index = facet_index.FacetIndex.build(generation, timezone.now())
        builds.append((time.perf_counter() - started) * 1000)
    servers = []
    for _run in range(runs):
        public_version.public_data_changed()
        cache.clear()
        started = time.perf_counter()
        client.get(url, {"theme": "perhetyo", "region": "01"})
        servers.append((time.perf_counter() - started) * 1000)
    print(
        f"Facet index of {len(index.positions)} practices and {len(index.keys)} keys built in "
        f"{statistics.median(builds):.1f} ms; theme + region right after a public change (index built again): "
        f"{statistics.median(servers):.1f} ms"
    )


def measure_search_server_time(searches, runs: int) -> None:
    """The search as the server runs it, uncached: analyse the query (Voikko's memo emptied first), fetch the
    first page of results and count them."""
    from library.selectors import LibraryFilters, search_practices
    from practices.search import analysis

    print(f"\nSearch server time, uncached (query analysis + result page + count), median of {runs} runs, ms:\n")
    header = f"{'search':34} {'analysis':>9} {'total':>8}"
    print(header)
    print("-" * len(header))
    for label, params in searches:
        totals, analyses = [], []
        for _run in range(runs):
            analysis._analyses.cache_clear()
            analysis.expansions.cache_clear()
            analysis.restorations.cache_clear()
            started = time.perf_counter()
            queryset = search_practices(LibraryFilters(**params))
            analysed = time.perf_counter()
            list(queryset[:20].values_list("pk", flat=True))
            queryset.count()
            finished = time.perf_counter()
            analyses.append((analysed - started) * 1000)
            totals.append((finished - started) * 1000)
        print(f"{label:34} {statistics.median(analyses):>9.2f} {statistics.median(totals):>8.2f}")


def measure_indexing(runs: int) -> None:
    """Indexing a practice's text on save: Practice.save() with its signal (Voikko analysis of the whole text,
    the search document, PostgreSQL's generated vector and the vocabulary), and adding a municipality."""
    from django.db import transaction

    from practices.models import Municipality, Practice
    from practices.search import analysis

    rng = random.Random(7)  # noqa: S311 (test data)
    practices = list(Practice.objects.order_by("?")[: runs * 2])
    municipality = Municipality.objects.get(code="092")
    saves, links = [], []
    for practice in practices[:runs]:
        analysis._analyses.cache_clear()
        analysis.expansions.cache_clear()
        words = vocabulary("fi")
        practice.summary = sentence(rng, words, 25, True)
        practice.basic_idea = " ".join(sentence(rng, words, 15, False) for _ in range(4))
        with transaction.atomic():
            started = time.perf_counter()
            practice.save()
            saves.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            practice.municipalities.add(municipality)
            links.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    print(f"\nIndexing on save, median of {len(saves)} practices (Voikko memo emptied before each):")
    print(f"  save of a changed description: {statistics.median(saves):.1f} ms (max {max(saves):.1f})")
    print(f"  adding a municipality:         {statistics.median(links):.1f} ms (max {max(links):.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--practices", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="use DATABASE_URL itself (rows are deleted afterwards) instead of a throwaway database",
    )
    parser.add_argument("--keep", action="store_true", help="with --in-place: keep the rows (for EXPLAIN by hand)")
    parser.add_argument("--measure-only", action="store_true", help="with --in-place: rows already there")
    args = parser.parse_args()
    base_url = os.environ.get("DATABASE_URL", DEFAULT_URL)

    import django

    if args.in_place:
        django.setup()
        from django.conf import settings

        settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
        try:
            if not args.measure_only:
                populate(args.practices, awards=False)
            measure(args.runs)
        finally:
            if not args.keep:
                cleanup_in_place()
        return

    with throwaway_database(base_url) as url:
        os.environ["DATABASE_URL"] = url
        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
        call_command("migrate", verbosity=0)
        call_command("load_reference_data", verbosity=0)
        populate(args.practices)
        measure(args.runs)


def cleanup_in_place() -> None:
    from awards.models import DecisionEntry, Nomination
    from practices.models import Organisation, Practice

    bench = Practice.objects.filter(slug__startswith="bench-")
    DecisionEntry.objects.filter(nomination__practice__in=bench).delete()
    Nomination.objects.filter(practice__in=bench).delete()
    deleted, _per_model = bench.delete()
    Organisation.objects.filter(name__startswith="Bench organisation ").delete()
    print(f"Removed the benchmark rows ({deleted} rows with their links).")


if __name__ == "__main__":
    main()
