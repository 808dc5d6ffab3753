"""Follow-up of the winners: one and three years after a cycle's results are published, each awarded organisation
is asked how the practice has gone on. Answers are published on the practice's page once staff approve them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from practices.models import Organisation, Practice

from .cycles import AwardCycle
from .nominations import Nomination


class FollowUp(models.Model):
    """One follow-up question to one awarded organisation about one practice, at one milestone. The row is
    recorded before its e-mail counts as sent, and there is at most one per organisation, practice and milestone,
    so running the due follow-ups again never asks twice."""

    class Milestone(models.IntegerChoices):
        ONE_YEAR = 1, _("one year after")
        THREE_YEARS = 3, _("three years after")

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting for the answer")
        ANSWERED = "answered", _("answered, waiting for staff")
        APPROVED = "approved", _("approved and public")
        DECLINED = "declined", _("not published")

    class Running(models.TextChoices):
        YES = "yes", _("Yes, it is running")
        CHANGED = "changed", _("Yes, in a changed form")
        NO = "no", _("No, it has ended")

    cycle = models.ForeignKey(
        AwardCycle, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("award cycle")
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("nomination")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("organisation")
    )
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("practice")
    )
    milestone = models.PositiveSmallIntegerField(_("when"), choices=Milestone.choices)
    language = models.CharField(_("language"), max_length=2, default="fi")
    due_at = models.DateTimeField(_("due"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.WAITING)
    recipients = models.PositiveSmallIntegerField(_("e-mails sent"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    still_running = models.CharField(
        _("is the practice still running?"), max_length=8, choices=Running.choices, blank=True
    )
    spread = models.TextField(_("where has it spread?"), blank=True)
    changes = models.TextField(_("what has changed?"), blank=True)
    evaluation = models.TextField(_("evaluation since the prize"), blank=True)
    answered_by = models.CharField(_("answered by"), max_length=150, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decided_at = models.DateTimeField(_("approved or declined"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or declined by"),
    )

    class Meta:
        ordering = ["-due_at", "organisation__name"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "practice", "milestone"], name="follow_up_once_per_milestone"
            ),
            models.CheckConstraint(
                condition=Q(state="waiting") | Q(answered_at__isnull=False), name="follow_up_answer_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.practice} ({self.get_milestone_display()})"
