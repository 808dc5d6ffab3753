"""Models of the awards app, one module per concern."""

from .cycle import Award, AwardCycle, Criterion
from .decision import (
    Announcement,
    AnnouncementImage,
    Decision,
    DecisionEntry,
    DecisionReopening,
    NotificationLog,
)
from .jury import ConflictOfInterest, JuryMembership
from .nomination import Nomination

__all__ = [
    "Announcement",
    "AnnouncementImage",
    "Award",
    "AwardCycle",
    "ConflictOfInterest",
    "Criterion",
    "Decision",
    "DecisionEntry",
    "DecisionReopening",
    "JuryMembership",
    "Nomination",
    "NotificationLog",
]
