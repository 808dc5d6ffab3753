"""Models of the awards app, one module per concern."""

from .cycle import Award, AwardCycle, Criterion
from .jury import ConflictOfInterest, JuryMembership
from .nomination import Nomination

__all__ = [
    "Award",
    "AwardCycle",
    "ConflictOfInterest",
    "Criterion",
    "JuryMembership",
    "Nomination",
]
