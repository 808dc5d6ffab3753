"""Blind scoring as a rule of the cycle, and reviews whose juror turns out to be in conflict.

- A chair who scores sees the ranking (everyone's means and per-criterion averages) only after submitting their own
  reviews; staff may choose a chair who does not score, who then has no reviews and sees the ranking at once.
- Seeing other jurors' scores is recorded when they are shown (the review page, the ranking); a review changed
  after that is marked in the ranking and the export, and a cycle may forbid such changes.
- A conflict found after scoring (declared, recorded, or computed from a membership added later) takes that
  review out of the ranking and the export, and the chair is told.
"""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.models import AwardCycle, JuryMembership, Review
from awards.selectors.jury import ranking
from awards.services import jury as services
from awards.services.jury import ScoreInput
from tests.factories import JuryMembershipFactory, MembershipFactory, UserFactory
from tests.factories.jury import ScoringCycleFactory, SubmittedNominationFactory, criteria_for, review_with_scores

pytestmark = pytest.mark.django_db

OTHERS_COMMENT = "Toisen tuomarin perustelu."


@pytest.fixture
def jury():
    cycle = ScoringCycleFactory(score_visibility=AwardCycle.ScoreVisibility.AFTER_OWN_REVIEW)
    criteria = criteria_for(cycle, weights=(1, 1))
    nominations = [SubmittedNominationFactory(cycle=cycle, name=f"Malli {n}") for n in range(2)]
    juror = JuryMembershipFactory(cycle=cycle).user
    other = JuryMembershipFactory(cycle=cycle).user
    chair = JuryMembershipFactory(cycle=cycle, role=JuryMembership.Role.CHAIR).user
    for nomination in nominations:
        review_with_scores(other, nomination, [5, 5], comments={0: OTHERS_COMMENT})
    return {
        "cycle": cycle,
        "criteria": criteria,
        "nominations": nominations,
        "juror": juror,
        "other": other,
        "chair": chair,
    }


def submit(jury, who, nomination, values):
    review = Review.objects.filter(juror=jury[who], nomination=nomination).first()
    return services.review_save(
        juror=jury[who],
        nomination=nomination,
        version=review.version if review else 0,
        scores={c.pk: ScoreInput(value=v) for c, v in zip(jury["criteria"], values, strict=True)},
        submit=True,
    )


def ranking_url(cycle):
    return reverse("awards:jury_ranking", args=[cycle.year])


def review_url(cycle, nomination):
    return reverse("awards:jury_review", args=[cycle.year, nomination.pk])


def test_scoring_chair_sees_no_scores_before_submitting_own_reviews(client, otp_login, jury):
    otp_login(client, jury["chair"])
    response = client.get(ranking_url(jury["cycle"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "opens once you have submitted your own reviews" in body
    assert "2 reviews are still to be submitted" in body
    assert "5.00" not in body  # no means, no per-criterion averages
    assert "ranking" not in response.context


def test_scoring_chair_sees_ranking_after_own_reviews_and_that_is_recorded(client, otp_login, jury):
    submit(jury, "chair", jury["nominations"][0], [3, 3])
    otp_login(client, jury["chair"])
    assert "opens once" in client.get(ranking_url(jury["cycle"])).content.decode()  # one still to do
    submit(jury, "chair", jury["nominations"][1], [4, 4])
    body = client.get(ranking_url(jury["cycle"])).content.decode()
    assert "opens once" not in body
    assert "4.50" in body  # (4 + 5) / 2
    assert all(r.others_seen_at for r in Review.objects.filter(juror=jury["chair"]))


def test_chair_who_does_not_score_has_no_reviews_and_sees_the_ranking(client, otp_login, jury):
    jury["cycle"].chair_scores = False
    jury["cycle"].save()
    otp_login(client, jury["chair"])
    worklist = client.get(reverse("awards:jury_worklist", args=[jury["cycle"].year]))
    assert worklist.context["nominations"] == []
    assert client.get(review_url(jury["cycle"], jury["nominations"][0])).status_code == 404
    assert "5.00" in client.get(ranking_url(jury["cycle"])).content.decode()


def test_juror_placeholder_then_rescore_is_marked_in_ranking_and_export(client, otp_login, jury):
    cycle, nomination = jury["cycle"], jury["nominations"][0]
    submit(jury, "juror", nomination, [1, 1])  # a placeholder
    otp_login(client, jury["juror"])
    assert OTHERS_COMMENT in client.get(review_url(cycle, nomination)).content.decode()
    review = Review.objects.get(juror=jury["juror"], nomination=nomination)
    assert review.others_seen_at is not None
    services.review_reopen(juror=jury["juror"], review=review)
    submit(jury, "juror", nomination, [5, 5])  # rescored after reading the others
    review.refresh_from_db()
    assert review.changed_after_seeing_at is not None

    rows = {row.nomination_id: row for row in ranking(UserFactory(is_staff=True), cycle).rows}
    assert rows[nomination.pk].revised == 1
    assert rows[jury["nominations"][1].pk].revised == 0
    staff = UserFactory(is_staff=True)
    client.logout()
    otp_login(client, staff)
    assert (
        "1 review was changed after its juror had seen the other jurors' scores"
        in client.get(ranking_url(cycle)).content.decode()
    )
    export = list(
        csv.reader(
            io.StringIO(client.get(reverse("awards:jury_export_csv", args=[cycle.year])).content.decode("utf-8-sig"))
        )
    )
    header = export[0]
    mine = [r for r in export[1:] if r[header.index("Juror's e-mail")] == jury["juror"].email]
    assert {r[header.index("Changed after seeing others' scores")] for r in mine} == {"yes"}
    assert all(r[header.index("Saw others' scores")] for r in mine)


def test_unchanged_resubmission_is_not_marked(client, otp_login, jury):
    nomination = jury["nominations"][0]
    review = submit(jury, "juror", nomination, [2, 2])
    services.others_scores_shown(viewer=jury["juror"], nomination_ids=[nomination.pk])
    review = services.review_reopen(juror=jury["juror"], review=review)
    submit(jury, "juror", nomination, [2, 2])
    review.refresh_from_db()
    assert review.others_seen_at is not None
    assert review.changed_after_seeing_at is None


def test_cycle_can_forbid_changes_after_seeing_others(client, otp_login, jury):
    cycle, nomination = jury["cycle"], jury["nominations"][0]
    cycle.no_changes_after_seeing_scores = True
    cycle.save()
    submit(jury, "juror", nomination, [1, 1])
    otp_login(client, jury["juror"])
    body = client.get(review_url(cycle, nomination)).content.decode()
    assert "can no longer be changed" in body
    assert "Reopen to change it" not in body
    response = client.post(reverse("awards:jury_review_reopen", args=[cycle.year, nomination.pk]))
    assert response.status_code == 302
    review = Review.objects.get(juror=jury["juror"], nomination=nomination)
    assert review.state == Review.State.SUBMITTED
    with pytest.raises(ValidationError, match="cannot be changed after that"):
        services.review_reopen(juror=jury["juror"], review=review)


def test_nothing_is_recorded_when_there_was_nothing_to_see(client, otp_login):
    cycle = ScoringCycleFactory()
    criteria_for(cycle)
    nomination = SubmittedNominationFactory(cycle=cycle)
    juror = JuryMembershipFactory(cycle=cycle).user
    review_with_scores(juror, nomination, [3, 3])
    otp_login(client, juror)
    client.get(review_url(cycle, nomination))
    assert Review.objects.get(juror=juror).others_seen_at is None


def test_chair_who_saw_the_ranking_and_rescores_is_marked(jury):
    for nomination in jury["nominations"]:
        submit(jury, "chair", nomination, [2, 2])
    services.others_scores_shown(viewer=jury["chair"], nomination_ids=[n.pk for n in jury["nominations"]])
    review = Review.objects.get(juror=jury["chair"], nomination=jury["nominations"][0])
    services.review_reopen(juror=jury["chair"], review=review)
    submit(jury, "chair", jury["nominations"][0], [5, 5])
    review.refresh_from_db()
    assert review.changed_after_seeing_at is not None


# Conflicts found after the scoring ----------------------------------------------------------------------------


def test_conflict_computed_from_a_later_membership_takes_the_review_out_of_the_ranking(client, otp_login, jury):
    cycle, nomination = jury["cycle"], jury["nominations"][0]
    submit(jury, "juror", nomination, [1, 1])
    staff = UserFactory(is_staff=True)
    before = {r.nomination_id: r for r in ranking(staff, cycle).rows}[nomination.pk]
    assert (before.reviews, before.weighted) == (2, 3.0)
    # The juror joins the nominating organisation after scoring: a conflict, computed, nobody declared it.
    MembershipFactory(user=jury["juror"], organisation=nomination.organisation, can_nominate=False)
    after = {r.nomination_id: r for r in ranking(staff, cycle).rows}[nomination.pk]
    assert (after.reviews, after.weighted, after.left_out) == (1, 5.0, 1)
    jury["cycle"].chair_scores = False
    jury["cycle"].save()
    otp_login(client, jury["chair"])
    body = client.get(ranking_url(cycle)).content.decode()
    assert "1 submitted review is left out of the ranking" in body
    client.logout()
    otp_login(client, staff)
    export = client.get(reverse("awards:jury_export_csv", args=[cycle.year])).content.decode("utf-8-sig")
    assert jury["juror"].email not in export


def test_lifting_the_conflict_brings_the_review_back(jury):
    from tests.factories.jury import ConflictFactory  # noqa: PLC0415

    cycle, nomination = jury["cycle"], jury["nominations"][0]
    submit(jury, "juror", nomination, [1, 1])
    conflict = ConflictFactory(user=jury["juror"], nomination=nomination)
    staff = UserFactory(is_staff=True)
    assert {r.nomination_id: r for r in ranking(staff, cycle).rows}[nomination.pk].reviews == 1
    services.conflict_lift(by=staff, conflict=conflict, reason="Ei todellista jääviyttä.")
    assert {r.nomination_id: r for r in ranking(staff, cycle).rows}[nomination.pk].reviews == 2
