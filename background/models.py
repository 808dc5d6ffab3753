"""The e-mail outbox (one row per logical e-mail) and the bookkeeping of timed work."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailQuerySet(models.QuerySet):
    def about(self, obj) -> "EmailQuerySet":
        """The e-mails recorded about `obj` (a cycle, a nomination…)."""
        return self.filter(about_type=ContentType.objects.get_for_model(obj), about_id=obj.pk)

    def pending(self) -> "EmailQuerySet":
        return self.filter(state__in=[Email.State.QUEUED, Email.State.RETRYING])


class Email(models.Model):
    """One logical e-mail: to one address, for one purpose, on one occasion (`key`).

    The row is written in the same transaction as the change the e-mail follows, before anything is sent; the
    delivery task sends it and marks it sent, so a retry or a second worker never sends it twice. The body is
    kept only until the e-mail is delivered (it may hold a link that opens an account)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RETRYING = "retrying", _("retrying")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    purpose = models.CharField(_("purpose"), max_length=64)
    key = models.CharField(_("occasion"), max_length=200)
    to = models.EmailField(_("recipient"), max_length=254)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient's account"),
    )
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=400)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    # What the e-mail is about (an award cycle…), so that staff find it on that object's pages.
    about_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")

    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("reason of the last failure"), blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = EmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        constraints = [
            models.UniqueConstraint("purpose", "key", Lower("to"), name="email_once_per_purpose_occasion_recipient"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="email_pending_idx",
                condition=models.Q(state__in=["queued", "retrying"]),
            ),
            models.Index(fields=["about_type", "about_id"], name="email_about_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} #{self.pk}"

    @property
    def purpose_label(self) -> str:
        from .outbox import purpose_label  # noqa: PLC0415 (the registry module imports this one)

        return purpose_label(self.purpose)


class DueWork(models.Model):
    """When each registered piece of timed work (background/schedule.py) last ran and is next due."""

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField(default=timezone.now)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_result = models.JSONField(default=dict, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("timed work")
        verbose_name_plural = _("timed work")

    def __str__(self) -> str:
        return self.name
