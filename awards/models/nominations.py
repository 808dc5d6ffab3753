"""A nomination of a practice for one year's prize.

The nomination keeps its own copy of the practice description (PracticeDescription), so what was
nominated in a year stays as it was written, while the Practice lives on in the library.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from practices.models import Municipality, Organisation, Practice, PracticeDescription, WellbeingServicesCounty

from .cycles import AwardCycle, Criterion


class Nomination(PracticeDescription):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Eligibility(models.TextChoices):
        PENDING = "pending", _("not yet checked")
        ELIGIBLE = "eligible", _("eligible")
        INELIGIBLE = "ineligible", _("ineligible")

    cycle = models.ForeignKey(
        AwardCycle, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("award cycle")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("nominating organisation"),
    )
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("practice")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    eligibility = models.CharField(
        _("eligibility"), max_length=16, choices=Eligibility.choices, default=Eligibility.PENDING
    )
    eligibility_reason = models.TextField(_("reason for the eligibility decision"), blank=True)
    reference = models.CharField(_("reference number"), max_length=20, null=True, blank=True, unique=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_title = models.CharField(_("contact person's title"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact person's e-mail"), blank=True)
    contact_phone = models.CharField(_("contact person's phone"), max_length=40, blank=True)
    consent_to_publish = models.BooleanField(
        _("consent to publish"),
        default=False,
        help_text=_("The practice description may be published if the nomination is shortlisted or wins."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Optimistic concurrency: every save increments it; a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    # Where the practice works, chosen from the reference data (the nominating organisation's own by default).
    practice_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("organisations running the practice")
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="nominations", verbose_name=_("municipalities")
    )
    counties = models.ManyToManyField(
        WellbeingServicesCounty, blank=True, related_name="nominations", verbose_name=_("wellbeing services counties")
    )
    # True when the Practice was created by this nomination (a new practice), so the library entry may follow it.
    practice_is_new = models.BooleanField(_("practice created by this nomination"), default=False)

    class Meta:
        ordering = ["cycle", "reference", "pk"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            # Once per year among submitted nominations: another organisation's draft is nobody else's business,
            # so drafts do not take the practice (the first to submit does).
            models.UniqueConstraint(
                fields=["cycle", "practice"],
                condition=Q(state="submitted"),
                name="nomination_practice_submitted_once_per_cycle",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
                name="nomination_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or _('draft')} – {self.name}"


class CriterionJustification(models.Model):
    """How the nominated practice meets one criterion of the cycle, in the nominator's words."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="justifications", verbose_name=_("nomination")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="justifications", verbose_name=_("criterion")
    )
    text = models.TextField(_("justification"), blank=True)

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        verbose_name = _("justification")
        verbose_name_plural = _("justifications")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "criterion"], name="justification_once_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.nomination_id}: {self.criterion}"


class Attachment(models.Model):
    """A file attached to a nomination, stored under a random name in PRIVATE_MEDIA_ROOT (see awards/files.py)."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("nomination")
    )
    stored_name = models.CharField(_("stored name"), max_length=100, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class DeadlineExtension(models.Model):
    """Staff allow one nomination to be edited and submitted after the cycle's deadline, until `until`."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("nomination")
    )
    until = models.DateTimeField(_("extended until"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        ordering = ["-until"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")

    def __str__(self) -> str:
        return f"{self.nomination_id} → {self.until:%Y-%m-%d %H:%M}"
