"""Who sees what in the jury: other jurors' scores by setting and own progress, conflicts by every URL, the chair,
staff who sit on the jury."""

import pytest
from django.urls import reverse

from awards.models import AwardCycle, JuryMembership
from tests.factories import JuryMembershipFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.jury import (
    ConflictFactory,
    ScoringCycleFactory,
    SubmittedNominationFactory,
    criteria_for,
    review_with_scores,
)

pytestmark = pytest.mark.django_db

OTHER_COMMENT = "Toisen jurorin kommentti ZX81"


@pytest.fixture
def jury():
    # The chair does not score here, so the ranking is open to them (blind scoring: tests/awards/test_blind_scoring.py).
    cycle = ScoringCycleFactory(chair_scores=False)
    criteria_for(cycle, weights=(2, 1))
    juror = JuryMembershipFactory(cycle=cycle).user
    other = JuryMembershipFactory(cycle=cycle).user
    chair = JuryMembershipFactory(cycle=cycle, role=JuryMembership.Role.CHAIR).user
    nomination = SubmittedNominationFactory(cycle=cycle, name="Perhekeskuksen avoin dialogi")
    review_with_scores(other, nomination, [4, 5], comments={0: OTHER_COMMENT})
    return cycle, juror, other, chair, nomination


def review_url(cycle, nomination):
    return reverse("awards:jury_review", args=[cycle.year, nomination.pk])


# (setting, own review: None / draft / submitted / reopened) → sees the other juror's scores and comments
VISIBILITY = [
    ("never", None, False),
    ("never", "draft", False),
    ("never", "submitted", False),
    ("after_own_review", None, False),
    ("after_own_review", "draft", False),
    ("after_own_review", "submitted", True),
    ("after_own_review", "reopened", False),
    ("always", None, False),
    ("always", "draft", False),
    ("always", "submitted", True),
    ("always", "reopened", True),
]


@pytest.mark.parametrize("case", VISIBILITY, ids=[f"{s}-{o}" for s, o, _ in VISIBILITY])
def test_review_page_others_scores_follow_setting_and_own_review(client, otp_login, jury, case):
    setting, own, sees = case
    cycle, juror, _other, _chair, nomination = jury
    AwardCycle.objects.filter(pk=cycle.pk).update(score_visibility=setting)
    if own is not None:
        review = review_with_scores(juror, nomination, [3, 3], submitted=own in ("submitted", "reopened"))
        if own == "reopened":
            review.state, review.submitted_at = "draft", None
            review.save()
    otp_login(client, juror)
    response = client.get(review_url(cycle, nomination))
    assert response.status_code == 200
    body = response.content.decode()
    assert (OTHER_COMMENT in body) is sees
    assert ("Average of others" in body) is sees


def test_conflicted_juror_cannot_reach_nomination_by_any_url(client, otp_login, jury):
    cycle, juror, _other, _chair, nomination = jury
    MembershipFactory(user=juror, organisation=nomination.organisation, can_nominate=False)
    otp_login(client, juror)
    worklist = client.get(reverse("awards:jury_worklist", args=[cycle.year]))
    assert nomination.name not in worklist.content.decode()
    for name in ("jury_review", "jury_conflict_declare"):
        assert client.get(reverse(f"awards:{name}", args=[cycle.year, nomination.pk])).status_code == 404
    assert client.post(reverse("awards:jury_review_reopen", args=[cycle.year, nomination.pk])).status_code == 404
    response = client.post(review_url(cycle, nomination), {"version": 0, "save": "1"})
    assert response.status_code == 404


def test_declared_conflict_hides_nomination_and_withdraws_submitted_review(client, otp_login, jury):
    cycle, _juror, other, chair, nomination = jury
    otp_login(client, other)
    response = client.post(
        reverse("awards:jury_conflict_declare", args=[cycle.year, nomination.pk]),
        {"reason": "Työskentelin hankkeessa."},
    )
    assert response.status_code == 302
    assert client.get(review_url(cycle, nomination)).status_code == 404
    review = other.reviews.get()
    assert review.state == "draft"  # it no longer counts in the ranking
    client.logout()
    otp_login(client, chair)
    body = client.get(reverse("awards:jury_ranking", args=[cycle.year])).content.decode()
    assert nomination.name in body
    assert OTHER_COMMENT not in body


def test_chair_sees_ranking_and_juror_does_not(client, otp_login, jury):
    cycle, juror, _other, chair, nomination = jury
    otp_login(client, juror)
    assert client.get(reverse("awards:jury_ranking", args=[cycle.year])).status_code == 404
    client.logout()
    otp_login(client, chair)
    response = client.get(f"/fi/tuomaristo/{cycle.year}/paremmuus/")
    assert response.status_code == 200
    body = response.content.decode()
    assert nomination.name in body
    assert '<td class="num">4,33</td>' in body  # weighted (2*4 + 5) / 3, in Finnish number format
    english = client.get(f"/en/tuomaristo/{cycle.year}/paremmuus/").content.decode()
    assert '<td class="num">4.33</td>' in english


def test_chair_in_conflict_sees_ranking_without_that_nomination(client, otp_login, jury):
    cycle, _juror, _other, chair, nomination = jury
    visible = SubmittedNominationFactory(cycle=cycle, name="Nuorten kehittäjäryhmä")
    ConflictFactory(user=chair, nomination=nomination)
    otp_login(client, chair)
    body = client.get(reverse("awards:jury_ranking", args=[cycle.year])).content.decode()
    assert visible.name in body
    assert nomination.name not in body


def test_staff_juror_is_bound_by_conflicts(client, otp_login, jury):
    cycle, _juror, _other, _chair, nomination = jury
    staff = UserFactory(is_staff=True, is_superuser=True)
    JuryMembershipFactory(cycle=cycle, user=staff)
    MembershipFactory(user=staff, organisation=nomination.organisation, can_nominate=False)
    otp_login(client, staff)
    assert client.get(review_url(cycle, nomination)).status_code == 404
    ranking_body = client.get(reverse("awards:jury_ranking", args=[cycle.year])).content.decode()
    assert nomination.name not in ranking_body
    export = client.get(reverse("awards:jury_export_csv", args=[cycle.year])).content.decode()
    assert nomination.name not in export
    assert OTHER_COMMENT not in export


def test_staff_outside_jury_sees_ranking_and_export(client, otp_login, jury):
    cycle, _juror, _other, _chair, nomination = jury
    staff = UserFactory(is_staff=True)
    otp_login(client, staff)
    assert nomination.name in client.get(reverse("awards:jury_ranking", args=[cycle.year])).content.decode()
    export = client.get(reverse("awards:jury_export_csv", args=[cycle.year])).content.decode()
    assert OTHER_COMMENT in export
    # Staff score nothing unless they sit on the jury.
    assert client.get(review_url(cycle, nomination)).status_code == 404


@pytest.mark.parametrize("name", ["jury_worklist", "jury_ranking", "jury_manage", "jury_export_csv"])
def test_jury_pages_need_second_factor(client, jury, name):
    cycle, _juror, _other, chair, _nomination = jury
    chair.is_staff = True
    chair.save()
    client.force_login(chair)
    response = client.get(reverse(f"awards:{name}", args=[cycle.year]))
    assert response.status_code == 302
    assert "/accounts/two-factor/setup/" in response["Location"]


def test_non_jury_user_gets_404_for_jury_cycle(client, otp_login, jury):
    cycle, *_rest = jury
    otp_login(client, UserFactory())
    assert client.get(reverse("awards:jury_worklist", args=[cycle.year])).status_code == 404
    assert client.get(reverse("awards:jury_manage", args=[cycle.year])).status_code == 404
    assert client.get(reverse("awards:jury_export_csv", args=[cycle.year])).status_code == 404


def test_area_conflict_applies_only_when_cycle_says_so(client, otp_login, jury):
    cycle, juror, _other, _chair, nomination = jury
    nomination.organisation.municipalities.add("092")
    MembershipFactory(user=juror, organisation=OrganisationFactory(municipalities=["092"]), can_nominate=False)
    otp_login(client, juror)
    assert client.get(review_url(cycle, nomination)).status_code == 200
    AwardCycle.objects.filter(pk=cycle.pk).update(conflicts_include_area=True)
    assert client.get(review_url(cycle, nomination)).status_code == 404


def test_review_page_links_to_next_in_the_jurors_own_order(client, otp_login, jury):
    cycle, juror, _other, _chair, first = jury
    conflicted = SubmittedNominationFactory(cycle=cycle)
    ConflictFactory(user=juror, nomination=conflicted)
    second = SubmittedNominationFactory(cycle=cycle)
    otp_login(client, juror)
    order = [n.pk for n in client.get(reverse("awards:jury_worklist", args=[cycle.year])).context["nominations"]]
    assert sorted(order) == sorted([first.pk, second.pk])
    body = client.get(review_url(cycle, first)).content.decode()
    other = second.pk
    assert reverse("awards:jury_review", args=[cycle.year, other]) in body
    assert reverse("awards:jury_review", args=[cycle.year, conflicted.pk]) not in body
    assert "of 2" in body
