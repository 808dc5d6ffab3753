"""Helpers of the practice library tests: award results published (or not) for practices."""

from datetime import timedelta

from django.utils import timezone

from awards.models import AwardCycle, Decision, DecisionEntry, Nomination

from .awards import AwardCycleFactory, NominationFactory


def published_cycle(year: int, *, published_at=None, state=AwardCycle.State.PUBLISHED, **kwargs) -> AwardCycle:
    """A cycle whose results became public an hour ago, unless told otherwise (a future moment: scheduled)."""
    now = timezone.now()
    return AwardCycleFactory(
        year=year,
        state=state,
        nominations_open_at=now - timedelta(days=200),
        nominations_close_at=now - timedelta(days=100),
        results_published_at=published_at or now - timedelta(hours=1),
        **kwargs,
    )


def nominate(practice, cycle: AwardCycle, result: str | None = "winner", *, decision_state="confirmed", **kwargs):
    """A submitted nomination of the practice, with a decision entry of `result` (None: no entry). The nominator
    consents to publishing the description unless told otherwise."""
    kwargs.setdefault("consent_to_publish", True)
    kwargs.setdefault("contact_email", "yhteyshenkilo@example.fi")
    kwargs.setdefault("contact_phone", "+358 40 123 4567")
    nomination = NominationFactory(
        cycle=cycle,
        practice=practice,
        state=Nomination.State.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=150),
        **kwargs,
    )
    if result:
        decision, _created = Decision.objects.get_or_create(cycle=cycle, defaults={"state": decision_state})
        DecisionEntry.objects.create(
            decision=decision, nomination=nomination, result=result, citation_fi=f"Perustelu: {practice.name}."
        )
    return nomination
