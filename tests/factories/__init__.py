"""factory_boy factories, one module per app; import them from here."""

from .accounts import MembershipFactory, UserFactory
from .awards import (
    AwardCycleFactory,
    AwardFactory,
    CriterionFactory,
    JuryMembershipFactory,
    NominationFactory,
    complete_draft,
    nominator_for,
    open_cycle_with_criteria,
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
    "complete_draft",
    "decided_cycle",
    "nominator_for",
    "open_cycle_with_criteria",
]
