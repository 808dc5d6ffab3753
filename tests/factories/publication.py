"""Factories of the decision and publication, and a builder of a whole decided cycle."""

from dataclasses import dataclass

import factory
from django.utils import timezone

from accounts.models import User
from awards.models import Announcement, AwardCycle, Decision, DecisionEntry, JuryMembership, Nomination

from .accounts import MembershipFactory, UserFactory
from .awards import AwardCycleFactory, JuryMembershipFactory, NominationFactory
from .practices import OrganisationFactory


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    cycle = factory.SubFactory(AwardCycleFactory, state=AwardCycle.State.DECIDED)
    state = Decision.State.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)


class DecisionEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionEntry

    decision = factory.SubFactory(DecisionFactory)
    nomination = factory.SubFactory(
        NominationFactory,
        cycle=factory.SelfAttribute("..decision.cycle"),
        state=Nomination.State.SUBMITTED,
        submitted_at=factory.LazyFunction(timezone.now),
    )
    result = DecisionEntry.Result.WINNER
    citation_fi = factory.Sequence(lambda n: f"Perustelu {n} suomeksi.")
    citation_sv = factory.Sequence(lambda n: f"Motivering {n} på svenska.")


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement

    cycle = factory.SubFactory(AwardCycleFactory, state=AwardCycle.State.DECIDED)
    title_fi = "Palkinto jaettiin"
    title_sv = "Priset delades ut"
    text_fi = "Tiedote suomeksi."
    text_sv = "Meddelande på svenska."


def submitted_nomination(cycle, **kwargs) -> Nomination:
    kwargs.setdefault("state", Nomination.State.SUBMITTED)
    kwargs.setdefault("submitted_at", timezone.now())
    kwargs.setdefault("eligibility", Nomination.Eligibility.ELIGIBLE)
    return NominationFactory(cycle=cycle, **kwargs)


@dataclass
class DecidedCycle:
    cycle: AwardCycle
    decision: Decision
    announcement: Announcement
    chair: User
    winner: Nomination
    mention: Nomination
    nominee: Nomination
    unconsented: Nomination
    winner_nominator: User
    nominee_nominator: User


def decided_cycle(**cycle_kwargs) -> DecidedCycle:
    """A decided cycle with a confirmed decision (a winner and a mention), two more nominees (one without consent
    to publish), nominators with e-mail addresses and languages, and an announcement ready to publish."""
    cycle_kwargs.setdefault("state", AwardCycle.State.DECIDED)
    cycle = AwardCycleFactory(**cycle_kwargs)
    chair = JuryMembershipFactory(cycle=cycle, role=JuryMembership.Role.CHAIR).user
    winner_org, nominee_org = OrganisationFactory(), OrganisationFactory()
    winner_nominator = MembershipFactory(organisation=winner_org, user=UserFactory(preferred_language="sv")).user
    nominee_nominator = MembershipFactory(organisation=nominee_org, user=UserFactory(preferred_language="fi")).user
    secret = dict(contact_email="salainen.yhteys@example.fi", contact_phone="+358 40 123 4567")
    winner = submitted_nomination(
        cycle, organisation=winner_org, consent_to_publish=True, summary="Voittajan kuvaus.", **secret
    )
    mention = submitted_nomination(cycle, consent_to_publish=False, summary="Maininnan kuvaus.", **secret)
    nominee = submitted_nomination(cycle, organisation=nominee_org, consent_to_publish=True, **secret)
    unconsented = submitted_nomination(cycle, consent_to_publish=False, **secret)
    decision = DecisionFactory(cycle=cycle, confirmed_by=chair)
    DecisionEntryFactory(
        decision=decision,
        nomination=winner,
        result=DecisionEntry.Result.WINNER,
        citation_fi="Voittajan perustelu.",
        citation_sv="Vinnarens motivering.",
        citation_en="",
        order=1,
    )
    DecisionEntryFactory(
        decision=decision,
        nomination=mention,
        result=DecisionEntry.Result.HONOURABLE_MENTION,
        citation_fi="Maininnan perustelu.",
        citation_sv="Hedersomnämnandets motivering.",
        citation_en="The mention's citation.",
        order=2,
    )
    announcement = AnnouncementFactory(cycle=cycle)
    return DecidedCycle(
        cycle=cycle,
        decision=decision,
        announcement=announcement,
        chair=chair,
        winner=winner,
        mention=mention,
        nominee=nominee,
        unconsented=unconsented,
        winner_nominator=winner_nominator,
        nominee_nominator=nominee_nominator,
    )
