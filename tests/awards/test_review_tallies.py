"""Each review's stored tally of its scores (awards.selectors.jury.review_tally_columns), which the chair's ranking
reads instead of the scores, always equals what the scores and the criteria say: after every save and delete of
a score or a criterion in random walks (the juror's service, edits as the admin makes them, weights changed,
criteria added and removed), never overwritten by a review read before its scores changed, filled by the
migration as the rule would, and written once per review when a review goes with its scores."""

import importlib
import io
import random
import threading
import time
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from awards.models import Criterion, Review, Score
from awards.services import jury as services
from awards.services.jury import ScoreInput
from tests.factories import JuryMembershipFactory
from tests.factories.jury import ScoringCycleFactory, SubmittedNominationFactory, criteria_for, review_with_scores

pytestmark = pytest.mark.django_db


def expected(review: Review) -> tuple:
    """The tally computed here in Python from the review's scores and its cycle's criteria, independently of the
    SQL that stores it."""
    criteria = list(Criterion.objects.filter(cycle__nominations=review.nomination_id).order_by("pk"))
    scores = {s.criterion_id: s.value for s in Score.objects.filter(review=review)}
    given = {pk: v for pk, v in scores.items() if v is not None}
    weights = {c.pk: c.weight for c in criteria}
    weighted = (
        float(sum(Decimal(v) * weights[pk] for pk, v in given.items()) / sum(weights[pk] for pk in given))
        if given
        else None
    )
    return [scores.get(c.pk) for c in criteria], weighted, sum(given.values()), len(given)


def drift() -> list[str]:
    """The reviews whose stored tally differs from the one computed from their scores; empty when all agree."""
    wrong = []
    for review in Review.objects.order_by("pk"):
        values, weighted, total, count = expected(review)
        stored = (review.criterion_scores, review.weighted_score, review.score_sum, review.score_count)
        same = (
            stored[0] == values
            and stored[2:] == (total, count)
            and (weighted is None if stored[1] is None else stored[1] == pytest.approx(weighted, abs=1e-9))
        )
        if not same:
            wrong.append(f"review {review.pk}: stored {stored}, expected {(values, weighted, total, count)}")
    return wrong


@pytest.fixture
def jury():
    cycle = ScoringCycleFactory()
    criteria_for(cycle, weights=(1, 2, 3))
    jurors = [JuryMembershipFactory(cycle=cycle).user for _ in range(3)]
    nominations = [SubmittedNominationFactory(cycle=cycle) for _ in range(3)]
    return cycle, jurors, nominations


@pytest.mark.parametrize("seed", range(6))
def test_stored_tallies_follow_every_write_of_scores_and_criteria(jury, seed):
    cycle, jurors, nominations = jury
    rng = random.Random(seed)  # noqa: S311 (a reproducible walk, not a secret)

    def criteria():
        return list(Criterion.objects.filter(cycle=cycle).order_by("order", "pk"))

    def score_value(criterion):
        return rng.choice([None, criterion.scale_min, criterion.scale_max, rng.randint(1, 5)])

    def juror_saves():
        juror, nomination = rng.choice(jurors), rng.choice(nominations)
        review = Review.objects.filter(juror=juror, nomination=nomination).first()
        if review is not None and review.is_submitted:
            review = services.review_reopen(juror=juror, review=review)
        submit = rng.random() < 0.3
        services.review_save(
            juror=juror,
            nomination=nomination,
            version=review.version if review else 0,
            scores={
                c.pk: ScoreInput(rng.randint(c.scale_min, c.scale_max) if submit else score_value(c))
                for c in criteria()
                if submit or rng.random() < 0.8
            },
            submit=submit,
        )

    def admin_edits_a_score():
        score = Score.objects.order_by("?").first()
        if score is not None:
            score.value = rng.choice([None, 1, 2, 5])
            score.save()

    def weight_changes():
        criterion = rng.choice(criteria())
        criterion.weight = Decimal(rng.choice(["0.5", "1", "2.5", "4"]))
        criterion.save()

    def criterion_added_then_maybe_removed():
        criterion = Criterion.objects.create(cycle=cycle, order=rng.randint(0, 5), name_fi="Uusi", weight=2)
        if rng.random() < 0.5:
            criterion.delete()  # nothing scores it yet (scores protect their criterion)

    def review_goes():
        review = Review.objects.order_by("?").first()
        if review is not None:
            review.delete()

    steps = [
        juror_saves,
        juror_saves,
        juror_saves,
        admin_edits_a_score,
        weight_changes,
        criterion_added_then_maybe_removed,
        review_goes,
    ]
    for step in range(40):
        action = rng.choice(steps)
        action()
        assert drift() == [], f"after step {step}, {action.__name__}"
    # The walk went through scored and submitted reviews, not only empty ones.
    assert Review.objects.filter(score_count__gt=0).exists()


def test_a_review_read_before_its_scores_changed_does_not_write_back_its_old_tally(jury):
    cycle, (juror, *_), (nomination, *_) = jury
    criteria = list(Criterion.objects.filter(cycle=cycle).order_by("order", "pk"))
    services.review_save(juror=juror, nomination=nomination, version=0, scores={c.pk: ScoreInput(1) for c in criteria})
    stale = Review.objects.get(juror=juror, nomination=nomination)
    services.review_save(
        juror=juror, nomination=nomination, version=stale.version, scores={c.pk: ScoreInput(5) for c in criteria}
    )
    stale.overall_comment = "Tallennettu vanhasta kopiosta"
    stale.save()
    review = Review.objects.get(pk=stale.pk)
    assert (review.overall_comment, review.criterion_scores, review.score_sum) == (
        "Tallennettu vanhasta kopiosta",
        [5, 5, 5],
        15,
    )
    assert review.weighted_score == pytest.approx(5)
    assert drift() == []


def test_scores_go_with_their_reviews_in_one_statement_and_no_tally_is_rewritten(jury):
    """The retention purge and any removal of a nomination or cycle: the scores are deleted by Django in one
    statement (no receiver makes it load each score to signal it), and no tally of a review being removed is
    written."""
    _cycle, jurors, nominations = jury
    for juror in jurors:
        for nomination in nominations[:2]:
            review_with_scores(juror, nomination, [3, 4, 5])
    with CaptureQueriesContext(connection) as queries:
        Review.objects.filter(nomination__in=nominations[:2]).delete()
    assert not Score.objects.exists()
    statements = [q["sql"] for q in queries]
    assert [sql for sql in statements if sql.startswith("SELECT") and '"awards_score"' in sql.split(" WHERE ")[0]] == []
    assert len([sql for sql in statements if sql.startswith('DELETE FROM "awards_score"')]) == 1
    assert [sql for sql in statements if sql.startswith('UPDATE "awards_review"')] == []


def test_the_migration_and_the_command_fill_the_tallies_as_the_rule_does(jury):
    cycle, jurors, nominations = jury
    for i, juror in enumerate(jurors):
        for j, nomination in enumerate(nominations):
            review_with_scores(juror, nomination, [1 + (i + j) % 5, None if i == j else 2, 3])
    review_with_scores(jurors[0], SubmittedNominationFactory(cycle=cycle), [])
    assert drift() == []

    def spoil():
        Review.objects.update(criterion_scores=[9], weighted_score=-1, score_sum=-1, score_count=99)
        assert len(drift()) == Review.objects.count()

    spoil()
    fill = importlib.import_module("awards.migrations.0010_review_tally").FILL
    with connection.cursor() as cursor:
        cursor.execute(fill)
    assert drift() == []

    spoil()
    call_command("refresh_review_tallies", stdout=io.StringIO())
    assert drift() == []


def test_a_review_saved_before_any_score_has_a_position_per_criterion(jury):
    _cycle, (juror, *_), (nomination, *_) = jury
    services.review_save(juror=juror, nomination=nomination, version=0, scores={}, overall_comment="Luen vielä.")
    review = Review.objects.get(juror=juror, nomination=nomination)
    assert (review.criterion_scores, review.weighted_score, review.score_sum, review.score_count) == (
        [None, None, None],
        None,
        0,
        0,
    )
    assert drift() == []


@pytest.mark.django_db(transaction=True)
def test_two_scores_of_one_review_changed_at_once_both_reach_the_tally(jury):
    """Two staff members edit two scores of one review in the admin at the same moment: the second refresh waits
    for the first to commit and then reads both scores (computed in the statement that waited, it would not)."""
    _cycle, (juror, *_), (nomination, *_) = jury
    review = review_with_scores(juror, nomination, [1, 1, 1])
    first, second, _third = Score.objects.filter(review=review).order_by("criterion_id")
    first_written = threading.Event()
    errors = []

    def edit(score, value, *, before_commit=None, after_start=None):
        try:
            if after_start:
                after_start.wait(5)
            with transaction.atomic():
                score.value = value
                score.save()
                if before_commit:
                    before_commit.set()
                    time.sleep(0.5)  # the other edit now waits on the review's lock
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=(first, 5), kwargs={"before_commit": first_written}),
        threading.Thread(target=edit, args=(second, 4), kwargs={"after_start": first_written}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    review.refresh_from_db()
    assert (review.criterion_scores, review.score_sum) == ([5, 4, 1], 10)
    assert drift() == []
