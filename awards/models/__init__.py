"""Models of the awards app, one module per concern."""

from .cycle import Award, AwardCycle, Criterion
from .decision import Decision, DecisionEntry
from .jury import Assignment, ConflictOfInterest, JuryMembership, Review, Score
from .nomination import Nomination

__all__ = [
    "Assignment",
    "Award",
    "AwardCycle",
    "ConflictOfInterest",
    "Criterion",
    "Decision",
    "DecisionEntry",
    "JuryMembership",
    "Nomination",
    "Review",
    "Score",
]
