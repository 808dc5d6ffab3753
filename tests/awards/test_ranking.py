"""The chair's ranking: weighted, median, spread, abstentions and per-juror z-scores against hand-computed numbers,
conflicts absent, and a constant number of queries however many nominations."""

import pytest
from django.db.models import OuterRef

from awards.models import AwardCycle, Criterion, JuryMembership, Review
from awards.selectors.jury import _conflict_condition, ranking
from tests.factories import JuryMembershipFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.jury import (
    ConflictFactory,
    ScoringCycleFactory,
    SubmittedNominationFactory,
    criteria_for,
    review_with_scores,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored_cycle():
    """Criteria weighted 2 and 1 on 1–5; jurors A, B, C; nominations N1–N3.

    Weighted score of a review = (2*c1 + c2) / 3.
      A: N1 (5,3) → 13/3   N2 (3,3) → 3      N3 (1,4) → 2
      B: N1 (4,4) → 4      N2 (2,5) → 3      N3 abstains
      C: N1 (2,2) → 2      N2 draft (5,5), not counted      N3 (3,1) → 7/3
    """
    cycle = ScoringCycleFactory()
    criteria_for(cycle, weights=(2, 1))
    chair = JuryMembershipFactory(cycle=cycle, role=JuryMembership.Role.CHAIR).user
    a, b, c = (JuryMembershipFactory(cycle=cycle).user for _ in range(3))
    n1, n2, n3 = (SubmittedNominationFactory(cycle=cycle, name=f"N{i}") for i in (1, 2, 3))
    review_with_scores(a, n1, [5, 3])
    review_with_scores(a, n2, [3, 3])
    review_with_scores(a, n3, [1, 4])
    review_with_scores(b, n1, [4, 4])
    review_with_scores(b, n2, [2, 5])
    review_with_scores(b, n3, [], abstain=True)
    review_with_scores(c, n1, [2, 2])
    review_with_scores(c, n2, [5, 5], submitted=False)
    review_with_scores(c, n3, [3, 1])
    return cycle, chair, (n1, n2, n3)


def test_ranking_weighted_scores_match_hand_computed(scored_cycle):
    cycle, chair, (n1, n2, n3) = scored_cycle
    rows = {row.nomination_id: row for row in ranking(chair, cycle).rows}
    # N1: reviews 13/3, 4, 2 → mean 31/9, median 4, raw mean of the six scores 20/6.
    assert rows[n1.pk].weighted == pytest.approx(31 / 9)
    assert rows[n1.pk].median == pytest.approx(4)
    assert rows[n1.pk].mean == pytest.approx(20 / 6)
    # Sample standard deviation of 13/3, 4, 2: sqrt(((4/3+... )) = sqrt(3.18519 / 2).
    assert rows[n1.pk].spread == pytest.approx((3.185185185 / 2) ** 0.5)
    assert (rows[n1.pk].reviews, rows[n1.pk].abstentions) == (3, 0)
    # N2: the draft of C does not count; 3 and 3.
    assert rows[n2.pk].weighted == pytest.approx(3)
    assert rows[n2.pk].mean == pytest.approx(13 / 4)
    assert rows[n2.pk].spread == pytest.approx(0)
    assert (rows[n2.pk].reviews, rows[n2.pk].abstentions) == (2, 0)
    # N3: 2 and 7/3, one abstention.
    assert rows[n3.pk].weighted == pytest.approx(13 / 6)
    assert rows[n3.pk].median == pytest.approx(13 / 6)
    assert rows[n3.pk].spread == pytest.approx(0.2357022604)
    assert (rows[n3.pk].reviews, rows[n3.pk].abstentions) == (2, 1)
    # Per-criterion means, in criterion order.
    assert rows[n1.pk].by_criterion == [pytest.approx(11 / 3), pytest.approx(3)]
    assert rows[n3.pk].by_criterion == [pytest.approx(2), pytest.approx(2.5)]
    assert [r.nomination_id for r in ranking(chair, cycle).rows] == [n1.pk, n2.pk, n3.pk]


def test_ranking_normalised_scores_match_hand_computed(scored_cycle):
    cycle, chair, (n1, n2, n3) = scored_cycle
    rows = {row.nomination_id: row for row in ranking(chair, cycle).rows}
    # A's weighted scores 13/3, 3, 2: mean 28/9, sample sd 1.170628; z = 1.044074, -0.094916, -0.949158.
    # B's 4, 3 and C's 2, 7/3: z = ±0.707107.
    assert rows[n1.pk].normalised == pytest.approx((1.044073795 + 0.707106781 - 0.707106781) / 3)
    assert rows[n2.pk].normalised == pytest.approx((-0.094915800 - 0.707106781) / 2)
    assert rows[n3.pk].normalised == pytest.approx((-0.949157996 + 0.707106781) / 2)
    # The normalised ranking swaps N2 and N3: A and B are harsher on N2 than on their own averages.
    assert (rows[n1.pk].rank, rows[n2.pk].rank, rows[n3.pk].rank) == (1, 2, 3)
    assert (rows[n1.pk].normalised_rank, rows[n2.pk].normalised_rank, rows[n3.pk].normalised_rank) == (1, 3, 2)


def test_ranking_flags_the_widest_disagreement(scored_cycle):
    cycle, chair, (n1, _n2, _n3) = scored_cycle
    flagged = {row.nomination_id for row in ranking(chair, cycle).rows if row.disagreement}
    assert flagged == {n1.pk}


def test_ranking_nomination_without_reviews_is_listed_unranked():
    cycle = ScoringCycleFactory()
    criteria_for(cycle)
    chair = JuryMembershipFactory(cycle=cycle, role=JuryMembership.Role.CHAIR).user
    nomination = SubmittedNominationFactory(cycle=cycle)
    [row] = ranking(chair, cycle).rows
    assert (row.nomination_id, row.weighted, row.reviews, row.rank) == (nomination.pk, None, 0, None)


def test_ranking_omits_nomination_the_chair_is_in_conflict_with(scored_cycle):
    cycle, chair, (n1, n2, n3) = scored_cycle
    MembershipFactory(user=chair, organisation=n2.organisation, can_nominate=False)
    ConflictFactory(user=chair, nomination=n3)
    assert [row.nomination_id for row in ranking(chair, cycle).rows] == [n1.pk]


def test_ranking_for_staff_outside_the_jury_omits_their_own_organisation(scored_cycle):
    cycle, _chair, (n1, n2, n3) = scored_cycle
    staff = UserFactory(is_staff=True)
    MembershipFactory(user=staff, organisation=n1.organisation)
    assert [row.nomination_id for row in ranking(staff, cycle).rows] == [n2.pk, n3.pk]


def test_ranking_for_outsider_is_empty(scored_cycle):
    cycle, _chair, _nominations = scored_cycle
    assert ranking(UserFactory(), cycle).rows == []


@pytest.mark.parametrize("nominations", [1, 12])
def test_ranking_query_count_constant(django_assert_num_queries, nominations):
    cycle = ScoringCycleFactory()
    criteria_for(cycle, weights=(1, 2, 3))
    chair = JuryMembershipFactory(cycle=cycle, role=JuryMembership.Role.CHAIR).user
    jurors = [JuryMembershipFactory(cycle=cycle).user for _ in range(4)]
    for i in range(nominations):
        nomination = SubmittedNominationFactory(cycle=cycle)
        for j, juror in enumerate(jurors):
            review_with_scores(juror, nomination, [1 + (i + j) % 5, 1 + (i * j) % 5, 3])
    # Jury membership, criteria, the visible nominations, their conflicted reviews, the ranking.
    with django_assert_num_queries(5):
        result = ranking(chair, cycle)
    assert len(result.rows) == nominations
    assert all(row.reviews == 4 for row in result.rows)


def test_reviews_left_out_for_a_conflict_are_exactly_those_the_conflict_rule_names():
    """The ranking tests a review's conflict only for jurors with a membership (and for declared conflicts):
    whatever kind of conflict, found whenever, it leaves out the same reviews as the rule without that shortcut."""
    cycle = ScoringCycleFactory()
    AwardCycle.objects.filter(pk=cycle.pk).update(conflicts_include_area=True)
    criteria_for(cycle, weights=(1, 1))
    chair = JuryMembershipFactory(cycle=cycle, role=JuryMembership.Role.CHAIR).user
    own, area, unrelated, declared, lifted = (JuryMembershipFactory(cycle=cycle).user for _ in range(5))
    n0, n1, n2, n3 = (SubmittedNominationFactory(cycle=cycle, name=f"N{i}") for i in range(4))
    n1.organisation.municipalities.add("092")
    for juror in (own, area, unrelated, declared, lifted):
        for nomination in (n0, n1, n2, n3):
            review_with_scores(juror, nomination, [4, 2])
    # After the scoring: memberships and conflicts of every kind.
    MembershipFactory(user=own, organisation=n0.organisation, can_nominate=False)
    MembershipFactory(user=area, organisation=OrganisationFactory(municipalities=["092"]), can_nominate=False)
    MembershipFactory(user=unrelated, organisation=OrganisationFactory(), can_nominate=False)
    ConflictFactory(user=declared, nomination=n2)
    ConflictFactory(user=lifted, nomination=n3, lifted_at="2026-01-01T00:00:00Z", lift_reason="Ei esteellisyyttä.")

    rows = {row.name: row for row in ranking(chair, cycle).rows}
    assert {name: (row.left_out, row.reviews) for name, row in rows.items()} == {
        "N0": (1, 4),
        "N1": (1, 4),
        "N2": (1, 4),
        "N3": (0, 5),
    }
    ungated = Review.objects.filter(nomination__cycle=cycle).filter(
        _conflict_condition(OuterRef("juror_id"), "nomination__")
    )
    by_rule = {n.name: ungated.filter(nomination=n).count() for n in (n0, n1, n2, n3)}
    assert by_rule == {name: row.left_out for name, row in rows.items()}


def test_ranking_follows_criteria_reordered_reweighted_and_added_after_the_scoring():
    """The ranking reads each review's stored scores (by criterion id) and weighted score: shown in the criteria's
    order, under their weights of now, a criterion added after the scoring shown empty."""
    cycle = ScoringCycleFactory()
    first, second = criteria_for(cycle, weights=(1, 1))
    chair = JuryMembershipFactory(cycle=cycle, role=JuryMembership.Role.CHAIR).user
    juror = JuryMembershipFactory(cycle=cycle).user
    nomination = SubmittedNominationFactory(cycle=cycle)
    review_with_scores(juror, nomination, [5, 2])
    (row,) = ranking(chair, cycle).rows
    assert (row.weighted, row.by_criterion) == (pytest.approx(3.5), [pytest.approx(5), pytest.approx(2)])

    first.order, first.weight = 9, 3  # now shown last, and weighing three times the other
    first.save()
    added = Criterion.objects.create(cycle=cycle, order=0, name_fi="Lisätty", weight=1)
    result = ranking(chair, cycle)
    assert [c.pk for c in result.criteria] == [added.pk, second.pk, first.pk]
    (row,) = result.rows
    assert row.by_criterion == [None, pytest.approx(2), pytest.approx(5)]
    assert row.weighted == pytest.approx((3 * 5 + 2) / 4)
    assert row.mean == pytest.approx(3.5)


def test_ranking_equals_its_definition_on_a_mixed_cycle():
    """Every figure of every row against the definitions computed here from the reviews: a cycle of seven jurors
    and six nominations with unscored criteria, abstentions, drafts, conflicts by membership and declared, a juror
    with one counting review (no spread: z-scores 0) and jurors whose reviews none count, between the others by id
    (each review finds its own juror's mean and spread)."""
    import random  # noqa: PLC0415
    import statistics  # noqa: PLC0415

    rng = random.Random(13)  # noqa: S311 (test data)
    cycle = ScoringCycleFactory()
    weights = (3, 1, 2)
    criteria_for(cycle, weights=weights)
    chair = JuryMembershipFactory(cycle=cycle, role=JuryMembership.Role.CHAIR).user
    jurors = [JuryMembershipFactory(cycle=cycle).user for _ in range(7)]
    nominations = [SubmittedNominationFactory(cycle=cycle, name=f"N{i}") for i in range(6)]
    kinds = {}  # (juror index, nomination index) -> what the review is
    for j, juror in enumerate(jurors):
        for n, nomination in enumerate(nominations):
            if j == 2 and n > 0:  # one counting review only
                continue
            if j == 4 or (j, n) in {(0, 3), (5, 1)}:  # a juror who only abstains, and two abstentions
                kinds[j, n] = "abstain"
                review_with_scores(juror, nomination, [], abstain=True)
            elif (j, n) in {(1, 2), (6, 0)}:
                kinds[j, n] = "draft"
                review_with_scores(juror, nomination, [5, 5, 5], submitted=False)
            else:
                values = [rng.randint(1, 5) for _ in weights]
                if (j, n) in {(3, 4), (6, 5)}:
                    values[1] = None  # a criterion left unscored
                kinds[j, n] = values
                review_with_scores(juror, nomination, values)
    # Conflicts found after the scoring: juror 3 works for N4's nominator, juror 5 declared one on N2.
    MembershipFactory(user=jurors[3], organisation=nominations[4].organisation, can_nominate=False)
    ConflictFactory(user=jurors[5], nomination=nominations[2])
    conflicted = {(3, 4), (5, 2)}

    def weighted(values):
        scored = [(w, v) for w, v in zip(weights, values, strict=True) if v is not None]
        return sum(w * v for w, v in scored) / sum(w for w, _ in scored)

    counting = {key: values for key, values in kinds.items() if isinstance(values, list) and key not in conflicted}
    by_juror = {}
    for (j, _n), values in counting.items():
        by_juror.setdefault(j, []).append(weighted(values))

    def z(j, value):
        scores = by_juror[j]
        spread = statistics.stdev(scores) if len(scores) > 1 else 0
        return (value - statistics.mean(scores)) / spread if spread else 0

    rows = {row.nomination_id: row for row in ranking(chair, cycle).rows}
    assert set(rows) == {n.pk for n in nominations}
    for n, nomination in enumerate(nominations):
        row = rows[nomination.pk]
        mine = {j: values for (j, m), values in counting.items() if m == n}
        scores = [weighted(values) for values in mine.values()]
        given = [v for values in mine.values() for v in values if v is not None]
        assert row.reviews == len(mine)
        assert row.weighted == pytest.approx(statistics.mean(scores))
        assert row.median == pytest.approx(statistics.median(scores))
        assert row.mean == pytest.approx(sum(given) / len(given))
        assert row.spread == pytest.approx(statistics.stdev(scores))
        assert row.normalised == pytest.approx(statistics.mean(z(j, weighted(v)) for j, v in mine.items()))
        for c in range(len(weights)):
            column = [values[c] for values in mine.values() if values[c] is not None]
            assert row.by_criterion[c] == pytest.approx(statistics.mean(column))
        submitted = {j: kind for (j, m), kind in kinds.items() if m == n and kind != "draft"}
        assert row.left_out == sum((j, n) in conflicted for j in submitted)
        assert row.abstentions == sum(kind == "abstain" and (j, n) not in conflicted for j, kind in submitted.items())
    # Each conflict leaves out one review.
    assert rows[nominations[4].pk].left_out == 1
    assert rows[nominations[2].pk].left_out == 1
