"""factory_boy factories, one module per app; import them from here."""

from .accounts import MembershipFactory, UserFactory
from .awards import (
    AwardCycleFactory,
    AwardFactory,
    CriterionFactory,
    JuryMembershipFactory,
    NominationFactory,
)
from .practices import OrganisationFactory, PracticeFactory
from .publication import AnnouncementFactory, DecisionEntryFactory, DecisionFactory, decided_cycle

__all__ = [
    "AnnouncementFactory",
    "AwardCycleFactory",
    "AwardFactory",
    "CriterionFactory",
    "DecisionEntryFactory",
    "DecisionFactory",
    "JuryMembershipFactory",
    "MembershipFactory",
    "NominationFactory",
    "OrganisationFactory",
    "PracticeFactory",
    "UserFactory",
    "decided_cycle",
]
