"""The jury's decision of a cycle: winners, honourable mentions, finalists, each with a citation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from practices.localisation import localised, shown_language

from .cycles import AwardCycle
from .nominations import Nomination


class Decision(models.Model):
    """A draft until the chair confirms it; confirmed, it is locked unless staff reopen it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        CONFIRMED = "confirmed", _("confirmed")

    cycle = models.OneToOneField(
        AwardCycle, on_delete=models.CASCADE, related_name="decision", verbose_name=_("award cycle")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.cycle} – {self.get_state_display()}"


class DecisionEntry(models.Model):
    class Result(models.TextChoices):
        WINNER = "winner", _("winner")
        HONOURABLE_MENTION = "honourable_mention", _("honourable mention")
        FINALIST = "finalist", _("finalist")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="entries", verbose_name=_("decision"))
    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, related_name="decision_entries", verbose_name=_("nomination")
    )
    result = models.CharField(_("result"), max_length=24, choices=Result.choices)
    citation_fi = models.TextField(_("citation in Finnish"), blank=True)
    citation_sv = models.TextField(_("citation in Swedish"), blank=True)
    citation_en = models.TextField(_("citation in English"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The decision record may cite the experts-by-experience panel (awards/models/panel.py).
    panel_note = models.TextField(
        _("what the experts-by-experience panel said"),
        blank=True,
        help_text=_("Optional: cite the panel's view in the decision record. Not published."),
    )

    class Meta:
        ordering = ["decision", "order", "pk"]
        verbose_name = _("decision entry")
        verbose_name_plural = _("decision entries")
        constraints = [
            models.UniqueConstraint(fields=["decision", "nomination"], name="decision_entry_nomination_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_result_display()}: {self.nomination}"

    @property
    def citation(self) -> str:
        return localised(self, "citation")

    @property
    def citation_language(self) -> str:
        """The language the citation is shown in (for the lang attribute when it falls back to Finnish)."""
        return shown_language(self, "citation")


class DecisionReopening(models.Model):
    """A record of staff reopening a confirmed decision, with the reason."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="reopenings", verbose_name=_("decision")
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopened_at = models.DateTimeField(_("reopened"), auto_now_add=True)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["-reopened_at", "-pk"]
        verbose_name = _("reopening of a decision")
        verbose_name_plural = _("reopenings of decisions")
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="decision_reopening_has_reason")]

    def __str__(self) -> str:
        return f"{self.decision} – {self.reopened_at:%Y-%m-%d %H:%M}"
