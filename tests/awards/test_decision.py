"""Recording the jury's decision: who may, what it may contain, confirming, locking and reopening."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent
from awards.models import AwardCycle, Decision, DecisionEntry, DecisionReopening, JuryMembership
from awards.services.decisions import EntryData, decision_confirm, decision_reopen, decision_save
from tests.factories import (
    AwardCycleFactory,
    JuryMembershipFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.factories.publication import submitted_nomination

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoring_cycle():
    return AwardCycleFactory(state=AwardCycle.State.SCORING)


@pytest.fixture
def chair(scoring_cycle):
    return JuryMembershipFactory(cycle=scoring_cycle, role=JuryMembership.Role.CHAIR).user


def entry(nomination, result=DecisionEntry.Result.WINNER, citation_fi="Perustelu.", **kwargs):
    return EntryData(nomination=nomination, result=result, citation_fi=citation_fi, **kwargs)


def test_decision_save_by_chair_creates_draft(scoring_cycle, chair):
    winner, mention = submitted_nomination(scoring_cycle), submitted_nomination(scoring_cycle)
    decision = decision_save(
        cycle=scoring_cycle,
        by=chair,
        entries=[entry(winner), entry(mention, DecisionEntry.Result.HONOURABLE_MENTION, citation_sv="Motivering.")],
    )
    assert decision.state == Decision.State.DRAFT
    assert dict(decision.entries.values_list("nomination_id", "result")) == {
        winner.pk: "winner",
        mention.pk: "honourable_mention",
    }
    assert AuditEvent.objects.filter(action="decision.saved", target_id=str(decision.pk), actor=chair).exists()


def test_decision_save_replaces_earlier_entries(scoring_cycle, chair):
    first, second = submitted_nomination(scoring_cycle), submitted_nomination(scoring_cycle)
    decision_save(cycle=scoring_cycle, by=chair, entries=[entry(first)])
    decision = decision_save(cycle=scoring_cycle, by=chair, entries=[entry(second)])
    assert list(decision.entries.values_list("nomination_id", flat=True)) == [second.pk]


def test_decision_save_requires_finnish_citation(scoring_cycle, chair):
    nomination = submitted_nomination(scoring_cycle)
    with pytest.raises(ValidationError):
        decision_save(cycle=scoring_cycle, by=chair, entries=[entry(nomination, citation_fi="  ")])
    assert not DecisionEntry.objects.exists()


def test_decision_save_refuses_conflicted_nomination_for_chair(scoring_cycle, chair):
    own = OrganisationFactory()
    MembershipFactory(user=chair, organisation=own, can_nominate=False)
    conflicted = submitted_nomination(scoring_cycle, organisation=own)
    with pytest.raises(PermissionDenied):
        decision_save(cycle=scoring_cycle, by=chair, entries=[entry(conflicted)])


def test_decision_save_keeps_entries_chair_cannot_see(scoring_cycle, chair):
    own = OrganisationFactory()
    MembershipFactory(user=chair, organisation=own, can_nominate=False)
    conflicted = submitted_nomination(scoring_cycle, organisation=own)
    other = submitted_nomination(scoring_cycle)
    staff = UserFactory(is_staff=True)
    decision_save(cycle=scoring_cycle, by=staff, entries=[entry(conflicted)])
    decision = decision_save(cycle=scoring_cycle, by=chair, entries=[entry(other)])
    assert set(decision.entries.values_list("nomination_id", flat=True)) == {conflicted.pk, other.pk}


@pytest.mark.parametrize("role", ["juror", "nominator", "chair_of_other_cycle"])
def test_decision_save_refused_for_others(scoring_cycle, role):
    nomination = submitted_nomination(scoring_cycle)
    if role == "juror":
        user = JuryMembershipFactory(cycle=scoring_cycle).user
    elif role == "nominator":
        user = MembershipFactory(organisation=nomination.organisation).user
    else:
        user = JuryMembershipFactory(role=JuryMembership.Role.CHAIR).user
    with pytest.raises(PermissionDenied):
        decision_save(cycle=scoring_cycle, by=user, entries=[entry(nomination)])


def test_decision_save_refused_before_scoring(chair):
    cycle = AwardCycleFactory(state=AwardCycle.State.OPEN)
    JuryMembershipFactory(cycle=cycle, user=chair, role=JuryMembership.Role.CHAIR)
    with pytest.raises(ValidationError):
        decision_save(cycle=cycle, by=chair, entries=[])


def test_decision_confirm_requires_a_winner(scoring_cycle, chair):
    nomination = submitted_nomination(scoring_cycle)
    decision = decision_save(
        cycle=scoring_cycle, by=chair, entries=[entry(nomination, DecisionEntry.Result.HONOURABLE_MENTION)]
    )
    with pytest.raises(ValidationError) as error:
        decision_confirm(decision=decision, by=chair, close_jury=True)
    assert "no winner" in str(error.value)
    decision.refresh_from_db()
    assert decision.state == Decision.State.DRAFT


def test_decision_confirmed_is_locked(scoring_cycle, chair):
    nomination = submitted_nomination(scoring_cycle)
    decision = decision_save(cycle=scoring_cycle, by=chair, entries=[entry(nomination)])
    decision_confirm(decision=decision, by=chair, close_jury=True)
    decision.refresh_from_db()
    scoring_cycle.refresh_from_db()
    assert decision.state == Decision.State.CONFIRMED
    assert decision.confirmed_by == chair
    assert scoring_cycle.state == AwardCycle.State.DECIDED
    with pytest.raises(ValidationError):
        decision_save(cycle=scoring_cycle, by=chair, entries=[])
    assert decision.entries.count() == 1


def test_decision_reopen_by_staff_is_recorded(scoring_cycle, chair):
    nomination = submitted_nomination(scoring_cycle)
    decision = decision_save(cycle=scoring_cycle, by=chair, entries=[entry(nomination)])
    decision_confirm(decision=decision, by=chair, close_jury=True)
    staff = UserFactory(is_staff=True)
    decision_reopen(decision=decision, by=staff, reason="Kirjoitusvirhe perustelussa.")
    decision.refresh_from_db()
    assert decision.state == Decision.State.DRAFT
    reopening = DecisionReopening.objects.get(decision=decision)
    assert reopening.reopened_by == staff
    assert reopening.reason == "Kirjoitusvirhe perustelussa."
    assert AuditEvent.objects.filter(action="decision.reopened", actor=staff).exists()


def test_decision_reopen_refused_for_chair_and_without_reason(scoring_cycle, chair):
    nomination = submitted_nomination(scoring_cycle)
    decision = decision_save(cycle=scoring_cycle, by=chair, entries=[entry(nomination)])
    decision_confirm(decision=decision, by=chair, close_jury=True)
    with pytest.raises(PermissionDenied):
        decision_reopen(decision=decision, by=chair, reason="Haluan muuttaa.")
    with pytest.raises(ValidationError):
        decision_reopen(decision=decision, by=UserFactory(is_staff=True), reason=" ")
    assert not DecisionReopening.objects.exists()


def test_decision_page_chair_records_and_confirms(client, otp_login, scoring_cycle, chair):
    winner, other = submitted_nomination(scoring_cycle), submitted_nomination(scoring_cycle)
    otp_login(client, chair)
    url = f"/fi/palkinto/{scoring_cycle.year}/paatos/"
    page = client.get(url)
    assert page.status_code == 200
    rows = sorted([winner, other], key=lambda n: (n.name, n.pk))
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2"}
    for i, nomination in enumerate(rows):
        data[f"form-{i}-nomination"] = str(nomination.pk)
        data[f"form-{i}-result"] = "winner" if nomination == winner else ""
        data[f"form-{i}-citation_fi"] = "Hieno teko." if nomination == winner else ""
    assert client.post(url, data).status_code == 302
    # The jury period is open: confirming without saying that it closes too is refused, nothing changes.
    assert client.post(f"{url}vahvista/").status_code == 302
    assert Decision.objects.get(cycle=scoring_cycle).state == Decision.State.DRAFT
    assert 'name="close_jury" value="1"' in client.get(url).content.decode()  # the page asks to close it too
    assert client.post(f"{url}vahvista/", {"close_jury": "1"}).status_code == 302
    decision = Decision.objects.get(cycle=scoring_cycle)
    assert decision.state == Decision.State.CONFIRMED
    scoring_cycle.refresh_from_db()
    assert scoring_cycle.jury_closed_at is not None
    assert scoring_cycle.jury_closed_by == chair
    assert decision.entries.get().nomination == winner
    assert "Hieno teko." in client.get(url).content.decode()


def test_decision_page_missing_citation_keeps_typed_values(client, otp_login, scoring_cycle, chair):
    nomination = submitted_nomination(scoring_cycle)
    otp_login(client, chair)
    url = f"/fi/palkinto/{scoring_cycle.year}/paatos/"
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-nomination": str(nomination.pk),
        "form-0-result": "winner",
        "form-0-citation_fi": "",
        "form-0-citation_sv": "Svensk text som inte får försvinna.",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Svensk text som inte får försvinna." in body
    assert "Write the jury" in body or "is-invalid" in body
    assert not Decision.objects.exists()


def test_decision_page_hides_conflicted_nomination_from_chair(client, otp_login, scoring_cycle, chair):
    own = OrganisationFactory()
    MembershipFactory(user=chair, organisation=own, can_nominate=False)
    conflicted = submitted_nomination(scoring_cycle, organisation=own, name="Oman organisaation käytäntö")
    visible = submitted_nomination(scoring_cycle)
    otp_login(client, chair)
    body = client.get(f"/fi/palkinto/{scoring_cycle.year}/paatos/").content.decode()
    assert visible.name in body
    assert conflicted.name not in body


@pytest.mark.parametrize(("role", "status"), [("juror", 404), ("nominator", 404), ("staff", 200)])
def test_decision_page_access(client, otp_login, scoring_cycle, role, status):
    nomination = submitted_nomination(scoring_cycle)
    if role == "juror":
        user = JuryMembershipFactory(cycle=scoring_cycle).user
    elif role == "nominator":
        user = MembershipFactory(organisation=nomination.organisation).user
    else:
        user = UserFactory(is_staff=True)
    otp_login(client, user)
    assert client.get(f"/fi/palkinto/{scoring_cycle.year}/paatos/").status_code == status


def test_decision_page_anonymous_redirected_to_sign_in(client, scoring_cycle):
    response = client.get(f"/fi/palkinto/{scoring_cycle.year}/paatos/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_decision_reopen_page_staff_reopens_with_reason(client, otp_login, scoring_cycle, chair):
    nomination = submitted_nomination(scoring_cycle)
    decision = decision_save(cycle=scoring_cycle, by=chair, entries=[entry(nomination)])
    decision_confirm(decision=decision, by=chair, close_jury=True)
    otp_login(client, chair)
    assert client.get(f"/fi/palkinto/{scoring_cycle.year}/paatos/avaa/").status_code == 404
    otp_login(client, UserFactory(is_staff=True))
    url = f"/fi/palkinto/{scoring_cycle.year}/paatos/avaa/"
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Väärä järjestys."}).status_code == 302
    decision.refresh_from_db()
    assert decision.state == Decision.State.DRAFT
    assert "Väärä järjestys." in client.get(f"/fi/palkinto/{scoring_cycle.year}/paatos/").content.decode()
