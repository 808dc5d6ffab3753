"""A nomination marked ineligible or withdrawn while the draft decision names it can have no result: confirming and
publishing refuse it with a clear message, saving the decision removes it, and the eligibility change tells staff
what it affects."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.models import AwardCycle, Decision, DecisionEntry, JuryMembership, Nomination
from awards.services import decisions as decision_services
from awards.services import nominations as nomination_services
from awards.services import publication as publication_services
from tests.factories import (
    DecisionEntryFactory,
    DecisionFactory,
    JuryMembershipFactory,
    UserFactory,
    decided_cycle,
)
from tests.factories.jury import ScoringCycleFactory, SubmittedNominationFactory, criteria_for, review_with_scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    cycle = ScoringCycleFactory()
    criteria_for(cycle)
    chair = JuryMembershipFactory(cycle=cycle, role=JuryMembership.Role.CHAIR).user
    winner = SubmittedNominationFactory(cycle=cycle, name="Voittava malli")
    runner_up = SubmittedNominationFactory(cycle=cycle, name="Toinen malli")
    decision = DecisionFactory(cycle=cycle, state=Decision.State.DRAFT, confirmed_at=None)
    DecisionEntryFactory(decision=decision, nomination=winner, result=DecisionEntry.Result.WINNER)
    DecisionEntryFactory(decision=decision, nomination=runner_up, result=DecisionEntry.Result.FINALIST)
    return {"cycle": cycle, "chair": chair, "winner": winner, "runner_up": runner_up, "decision": decision}


def test_confirming_refuses_an_entry_marked_ineligible_after_it_was_named(draft):
    staff = UserFactory(is_staff=True)
    nomination_services.nomination_set_eligibility(
        nomination=draft["winner"], eligibility="ineligible", reason="Ei kunnan toimintaa.", by=staff
    )
    with pytest.raises(ValidationError) as refused:
        decision_services.decision_confirm(decision=draft["decision"], by=draft["chair"])
    assert "Voittava malli is marked ineligible and cannot have a result" in " ".join(refused.value.messages)
    assert "The decision names no winner." in refused.value.messages  # the finalist alone is no winner
    draft["decision"].refresh_from_db()
    assert draft["decision"].state == Decision.State.DRAFT


def test_confirming_refuses_a_withdrawn_entry(draft):
    Nomination.objects.filter(pk=draft["runner_up"].pk).update(state=Nomination.State.WITHDRAWN)
    with pytest.raises(ValidationError, match="Toinen malli has been withdrawn"):
        decision_services.decision_confirm(decision=draft["decision"], by=draft["chair"])


def test_chair_sees_the_problem_and_saving_removes_the_entry(client, otp_login, draft):
    Nomination.objects.filter(pk=draft["winner"].pk).update(eligibility=Nomination.Eligibility.INELIGIBLE)
    otp_login(client, draft["chair"])
    page = client.get(reverse("awards:decision", args=[draft["cycle"].year])).content.decode()
    assert "Voittava malli is marked ineligible" in page
    decision_services.decision_save(
        cycle=draft["cycle"],
        by=draft["chair"],
        entries=[
            decision_services.EntryData(
                nomination=draft["runner_up"], result=DecisionEntry.Result.WINNER, citation_fi="Perustelu."
            )
        ],
    )
    assert list(draft["decision"].entries.values_list("nomination_id", flat=True)) == [draft["runner_up"].pk]
    decision_services.decision_confirm(decision=draft["decision"], by=draft["chair"], close_jury=True)


def test_publishing_refuses_an_ineligible_winner():
    data = decided_cycle()
    staff = UserFactory(is_staff=True)
    Nomination.objects.filter(pk=data.winner.pk).update(eligibility=Nomination.Eligibility.INELIGIBLE)
    with pytest.raises(ValidationError) as refused:
        publication_services.cycle_publish(cycle=data.cycle, by=staff)
    assert any("marked ineligible" in message for message in refused.value.messages)
    data.cycle.refresh_from_db()
    assert data.cycle.state == AwardCycle.State.DECIDED


def test_eligibility_change_tells_staff_what_it_affects(client, otp_login, draft):
    juror = JuryMembershipFactory(cycle=draft["cycle"]).user
    review_with_scores(juror, draft["winner"], [4, 4])
    staff = UserFactory(is_staff=True)
    otp_login(client, staff)
    response = client.post(
        reverse("awards:staff_nomination", args=[draft["winner"].pk]),
        {"action": "eligibility", "eligibility": "ineligible", "reason": "Ei täytä ehtoja."},
        follow=True,
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert "named in the jury's draft decision (winner)" in text
    assert "1 submitted jury review of it no longer counts" in text
