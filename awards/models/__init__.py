"""Models of the awards app, one module per area: cycles, nominations, jury, decisions, publication."""

from .cycles import Award, AwardCycle, Criterion, ReferenceCounter
from .decisions import Decision, DecisionEntry, DecisionReopening
from .followup import FollowUp
from .jury import Assignment, ConflictOfInterest, JuryMembership, Review, Score
from .nominations import Attachment, CriterionJustification, DeadlineExtension, Nomination
from .panel import PanelAnswer, PanelClearance, PanelMembership, PanelQuestion, PanelReview
from .proposals import Proposal
from .publication import Announcement, AnnouncementImage, NotificationLog
from .safeguard import AttachmentFinding, AttachmentScan, FindingKind, SafeguardCheck

__all__ = [
    "Announcement",
    "AnnouncementImage",
    "Assignment",
    "Attachment",
    "AttachmentFinding",
    "AttachmentScan",
    "Award",
    "AwardCycle",
    "ConflictOfInterest",
    "Criterion",
    "CriterionJustification",
    "DeadlineExtension",
    "Decision",
    "DecisionEntry",
    "DecisionReopening",
    "FindingKind",
    "FollowUp",
    "JuryMembership",
    "Nomination",
    "NotificationLog",
    "PanelAnswer",
    "PanelClearance",
    "PanelMembership",
    "PanelQuestion",
    "PanelReview",
    "Proposal",
    "ReferenceCounter",
    "Review",
    "SafeguardCheck",
    "Score",
]
