"""Reads of the child-data safeguard: what in a nomination looks like personal data, where it is, whether the
nomination is held from the jury, and which file of an attachment a viewer gets (the original or the cleaned copy).

Findings of the text fields are computed from the stored text whenever they are shown, never stored; findings of
attachments are stored as kinds and places only (awards.models.AttachmentFinding)."""

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationMembership
from awards import files
from awards.models import Attachment, AttachmentFinding, FindingKind, Nomination, SafeguardCheck
from awards.personal_data import Finding, excerpt, find_personal_data

# Fields of the nomination's practice description the jury reads, in reading order (never the contact details;
# awards.selectors.jury.jury_reading shows them). Kept here so that what is scanned is what the jury reads.
READING_FIELDS = [
    "summary",
    "basic_idea",
    "target_group_description",
    "operating_environment",
    "intended_changes",
    "achieved_changes",
    "evaluation",
    "resources",
    "adoption_conditions",
    "funder",
]
# The nomination's own text that reaches the jury, its name with the fields above; the contact person's details
# never do, so they are not scanned.
TEXT_FIELDS = ["name", *READING_FIELDS]

# What the nominator is asked, per kind of finding.
QUESTIONS = {
    FindingKind.IDENTITY_CODE: _("This looks like a personal identity code: remove it?"),
    FindingKind.PHONE: _("This looks like a private person's phone number: remove it?"),
    FindingKind.EMAIL: _("This looks like a private person's e-mail address: remove it?"),
    FindingKind.ADDRESS: _("This looks like a street address: remove it?"),
    FindingKind.NAME_AGE: _("This looks like a name next to an age, which can identify a child: remove it?"),
    FindingKind.LOCATION: _("This photo carries the place where it was taken."),
    FindingKind.UNREADABLE: _("This attachment could not be checked; staff will look at it before the jury does."),
}

# Findings that stay in what the jury and the public get. Metadata, comments and photo information are removed
# from the cleaned copy, so they are shown to the nominator but do not hold the nomination back.
HOLDING_WHERE = {AttachmentFinding.Where.TEXT, AttachmentFinding.Where.FILE_NAME}


@cache
def fingerprint_key() -> bytes:
    return hashlib.sha256(f"child-data-safeguard:{settings.SECRET_KEY}".encode()).digest()


@dataclass(frozen=True)
class TextFinding:
    """A finding in one text field of a nomination, with the surrounding text to show it in place."""

    field: str  # the form field's name: a description field or criterion_<pk>
    label: str
    text: str
    finding: Finding

    @property
    def kind(self) -> str:
        return self.finding.kind

    @property
    def question(self) -> str:
        return str(QUESTIONS[self.finding.kind])

    @property
    def parts(self) -> tuple[str, str, str]:
        return excerpt(self.text, self.finding)

    @property
    def fingerprint(self) -> str:
        return self.finding.fingerprint(self.text, key=fingerprint_key())


def nomination_texts(nomination: Nomination) -> list[tuple[str, str, str]]:
    """(field, label, text) of every scanned text of the nomination, the criteria's justifications included."""
    texts = [
        (name, str(Nomination._meta.get_field(name).verbose_name), getattr(nomination, name) or "")
        for name in TEXT_FIELDS
    ]
    texts.extend(
        (f"criterion_{j.criterion_id}", j.criterion.name, j.text or "")
        for j in nomination.justifications.select_related("criterion")
    )
    return texts


def text_findings(nomination: Nomination) -> list[TextFinding]:
    return [
        TextFinding(field=field, label=label, text=text, finding=finding)
        for field, label, text in nomination_texts(nomination)
        for finding in find_personal_data(text)
    ]


def attachment_findings(nomination: Nomination):
    return AttachmentFinding.objects.filter(attachment__nomination=nomination).select_related("attachment")


def holding_attachment_findings(nomination: Nomination):
    """Findings in attachments that stay in the cleaned copy, and attachments that could not be read."""
    return attachment_findings(nomination).filter(Q(where__in=HOLDING_WHERE) | Q(kind=FindingKind.UNREADABLE))


@dataclass(frozen=True)
class Findings:
    texts: list[TextFinding]
    attachments: list[AttachmentFinding]

    @property
    def holding(self) -> list:
        """What holds the nomination back from the jury until staff clear it."""
        return [*self.texts, *(f for f in self.attachments if is_holding(f))]

    @property
    def fingerprints(self) -> list[str]:
        return sorted({f.fingerprint for f in self.holding})

    @property
    def kinds(self) -> list[str]:
        return sorted({f.kind for f in self.holding})

    def by_field(self) -> dict[str, list[TextFinding]]:
        grouped: dict[str, list[TextFinding]] = {}
        for finding in self.texts:
            grouped.setdefault(finding.field, []).append(finding)
        return grouped


def is_holding(finding: AttachmentFinding) -> bool:
    return finding.where in HOLDING_WHERE or finding.kind == FindingKind.UNREADABLE


def nomination_findings(nomination: Nomination) -> Findings:
    return Findings(texts=text_findings(nomination), attachments=list(attachment_findings(nomination)))


def held_by_safeguard_q() -> Q:
    """Q over Nomination: the nomination has findings that staff have not yet cleared; the jury, the panel and
    the public never see it."""
    return Q(Exists(SafeguardCheck.objects.filter(nomination_id=OuterRef("pk"), state=SafeguardCheck.State.FLAGGED)))


def safeguard_of(nomination: Nomination) -> SafeguardCheck | None:
    return SafeguardCheck.objects.filter(nomination=nomination).select_related("cleared_by", "acknowledged_by").first()


def sees_original(user, nomination: Nomination) -> bool:
    """Staff and the nominating organisation's nominators get an attachment as it was uploaded; everyone else
    (the jury, the panel) gets the cleaned copy."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_staff:
        return True
    return OrganisationMembership.objects.filter(
        user=user, organisation_id=nomination.organisation_id, can_nominate=True
    ).exists()


def attachment_file(attachment: Attachment, *, original: bool) -> Path | None:
    """The file to serve: the original, or the cleaned copy (None when there is none: it is then not served)."""
    if original:
        return files.attachment_path(attachment.stored_name)
    path = files.attachment_path(files.clean_copy_name(attachment.stored_name))
    return path if path.exists() else None
