"""Models of the awards app, one module per concern."""

from .cycle import Award, AwardCycle, Criterion
from .decision import Decision, DecisionEntry
from .jury import ConflictOfInterest, JuryMembership
from .nomination import Nomination

__all__ = [
    "Award",
    "AwardCycle",
    "ConflictOfInterest",
    "Criterion",
    "Decision",
    "DecisionEntry",
    "JuryMembership",
    "Nomination",
]
