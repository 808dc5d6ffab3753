"""Models of the awards app, one module per concern."""

from .cycle import Award, AwardCycle, Criterion, ReferenceCounter
from .decision import (
    Announcement,
    AnnouncementImage,
    Decision,
    DecisionEntry,
    DecisionReopening,
    NotificationLog,
)
from .jury import Assignment, ConflictOfInterest, JuryMembership, Review, Score
from .nomination import Attachment, CriterionJustification, DeadlineExtension, Nomination

__all__ = [
    "Announcement",
    "AnnouncementImage",
    "Assignment",
    "Attachment",
    "Award",
    "AwardCycle",
    "ConflictOfInterest",
    "Criterion",
    "CriterionJustification",
    "DeadlineExtension",
    "Decision",
    "DecisionEntry",
    "DecisionReopening",
    "JuryMembership",
    "Nomination",
    "NotificationLog",
    "ReferenceCounter",
    "Review",
    "Score",
]
