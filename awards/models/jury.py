"""The jury of a cycle and conflicts of interest."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .cycle import AwardCycle
from .nomination import Nomination


class JuryMembership(models.Model):
    """A person sits on the jury of one cycle, as a juror or as a chair."""

    class Role(models.TextChoices):
        JUROR = "juror", _("juror")
        CHAIR = "chair", _("chair")

    cycle = models.ForeignKey(AwardCycle, on_delete=models.CASCADE, related_name="jury", verbose_name=_("award cycle"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jury_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.JUROR)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("jury membership")
        verbose_name_plural = _("jury memberships")
        constraints = [models.UniqueConstraint(fields=["cycle", "user"], name="jury_cycle_user_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.cycle})"


class ConflictOfInterest(models.Model):
    """A declared or staff-recorded conflict between a juror and a nomination.

    Conflicts through the juror's own organisations are computed, not stored (see awards/rules.py), so they
    can never be forgotten; rows here add declared and staff-added conflicts, and staff decisions to lift one.
    """

    class Source(models.TextChoices):
        DECLARED = "declared", _("declared by the juror")
        STAFF = "staff", _("added by staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("juror")
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("nomination")
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "nomination"],
                condition=Q(lifted_at__isnull=True),
                name="conflict_active_unique",
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | ~Q(lift_reason=""),
                name="conflict_lift_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ↔ {self.nomination}"
