"""Models of the awards app, one module per concern."""

from .cycle import Award, AwardCycle, Criterion, ReferenceCounter
from .decision import Decision, DecisionEntry
from .jury import ConflictOfInterest, JuryMembership
from .nomination import Attachment, CriterionJustification, DeadlineExtension, Nomination

__all__ = [
    "Attachment",
    "Award",
    "AwardCycle",
    "ConflictOfInterest",
    "Criterion",
    "CriterionJustification",
    "DeadlineExtension",
    "Decision",
    "DecisionEntry",
    "JuryMembership",
    "Nomination",
    "ReferenceCounter",
]
