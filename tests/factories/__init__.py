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

__all__ = [
    "AwardCycleFactory",
    "AwardFactory",
    "CriterionFactory",
    "JuryMembershipFactory",
    "MembershipFactory",
    "NominationFactory",
    "OrganisationFactory",
    "PracticeFactory",
    "UserFactory",
    "complete_draft",
    "nominator_for",
    "open_cycle_with_criteria",
]
