"""The child-data safeguard: what the scan of a nomination found, the nominator's reason to submit anyway, staff's
clearance, and the cleaned copies of attachments given to the jury, the panel and the public.

No row here holds a finding's value: only its kind, where it is, and a keyed hash that recognises it again."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .nominations import Attachment, Nomination


class FindingKind(models.TextChoices):
    IDENTITY_CODE = "identity_code", _("personal identity code")
    PHONE = "phone", _("phone number of a private person")
    EMAIL = "email", _("e-mail address of a private person")
    ADDRESS = "address", _("street address")
    NAME_AGE = "name_age", _("name next to an age")
    LOCATION = "location", _("location where a photo was taken")
    UNREADABLE = "unreadable", _("attachment that could not be checked")


class SafeguardCheck(models.Model):
    """The safeguard's state of one nomination, set when it is submitted: clean, flagged (findings the nominator
    submitted anyway; staff must clear them before the jury sees it) or cleared by staff."""

    class State(models.TextChoices):
        CLEAN = "clean", _("nothing found")
        FLAGGED = "flagged", _("possible personal data: waiting for staff")
        CLEARED = "cleared", _("cleared by staff")

    nomination = models.OneToOneField(
        Nomination, on_delete=models.CASCADE, related_name="safeguard", verbose_name=_("nomination")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.CLEAN)
    findings_count = models.PositiveIntegerField(_("findings"), default=0)
    kinds = models.JSONField(_("kinds of findings"), default=list, blank=True)
    # Keyed hashes of the findings when submitted and when cleared: a resubmission with nothing new stays cleared.
    fingerprints = models.JSONField(default=list, blank=True, editable=False)
    cleared_fingerprints = models.JSONField(default=list, blank=True, editable=False)
    scanned_at = models.DateTimeField(_("checked"), null=True, blank=True)
    nominator_reason = models.TextField(_("nominator's reason to submit anyway"), blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted anyway by"),
    )
    acknowledged_at = models.DateTimeField(_("submitted anyway"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cleared by"),
    )
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)
    clear_note = models.TextField(_("staff's note"), blank=True)

    class Meta:
        verbose_name = _("personal data check")
        verbose_name_plural = _("personal data checks")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="flagged") | ~Q(nominator_reason=""), name="safeguard_flagged_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(state="cleared") | Q(cleared_at__isnull=False), name="safeguard_cleared_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomination_id}: {self.get_state_display()}"


class AttachmentScan(models.Model):
    """An attachment read for the safeguard, and its cleaned copy (no metadata, no comments) stored beside the
    original in the private storage. The original is for staff and the nominators only."""

    attachment = models.OneToOneField(
        Attachment, on_delete=models.CASCADE, related_name="scan", verbose_name=_("attachment")
    )
    readable = models.BooleanField(_("could be read"), default=True)
    clean_stored_name = models.CharField(_("cleaned copy"), max_length=100, blank=True, editable=False)
    clean_size = models.PositiveIntegerField(_("size of the cleaned copy"), null=True, blank=True)
    scanned_at = models.DateTimeField(_("checked"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment check")
        verbose_name_plural = _("attachment checks")

    def __str__(self) -> str:
        return str(self.attachment)


class AttachmentFinding(models.Model):
    """Something in an attachment (its text, metadata, comments or file name) that looks like personal data."""

    attachment = models.ForeignKey(
        Attachment, on_delete=models.CASCADE, related_name="findings", verbose_name=_("attachment")
    )

    class Where(models.TextChoices):
        TEXT = "text", _("text")
        METADATA = "metadata", _("document properties")
        COMMENT = "comment", _("comments")
        FILE_NAME = "file_name", _("file name")
        IMAGE = "image", _("photo information (EXIF)")

    kind = models.CharField(_("kind"), max_length=16, choices=FindingKind.choices)
    where = models.CharField(_("where"), max_length=16, choices=Where.choices)
    # A page number or the name of a property ("Author"): never the value found.
    detail = models.CharField(_("detail"), max_length=64, blank=True)
    fingerprint = models.CharField(max_length=32, editable=False)

    class Meta:
        ordering = ["attachment", "pk"]
        verbose_name = _("finding in an attachment")
        verbose_name_plural = _("findings in attachments")

    def __str__(self) -> str:
        return f"{self.attachment_id}: {self.get_kind_display()} ({self.get_where_display()})"
