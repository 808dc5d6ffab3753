"""Models of the awards app, one module per area: cycles, nominations, jury, decisions, publication."""

from .cycles import Award, AwardCycle, Criterion, ReferenceCounter
from .decisions import Decision, DecisionEntry, DecisionReopening
from .jury import Assignment, ConflictOfInterest, JuryMembership, Review, Score
from .nominations import Attachment, CriterionJustification, DeadlineExtension, Nomination
from .publication import Announcement, AnnouncementImage, NotificationLog

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
