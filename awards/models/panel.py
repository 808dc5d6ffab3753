"""The experts-by-experience panel (asiakasraati) of a cycle: young people and parents with lived experience of
child welfare who read the nominations staff clear for them and answer a short rubric of their own.

Panel members sign in with a code e-mailed to them each time (django-otp's e-mail device, awards/services/panel.py);
the jury sees them only under the pseudonym staff choose, and the chair sees their answers as a column of their own
beside the jury's."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from practices.localisation import localised

from .cycles import AwardCycle
from .nominations import Attachment, Nomination

PANEL_SCALE_MIN = 1
PANEL_SCALE_MAX = 4


class PanelMembership(models.Model):
    """A person sits on the panel of one cycle, known to the jury by a pseudonym."""

    cycle = models.ForeignKey(AwardCycle, on_delete=models.CASCADE, related_name="panel", verbose_name=_("award cycle"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="panel_memberships",
        verbose_name=_("user"),
    )
    pseudonym = models.CharField(
        _("pseudonym"), max_length=60, help_text=_("The name the jury sees. Chosen by staff; never the real name.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["cycle", "pseudonym"]
        verbose_name = _("panel membership")
        verbose_name_plural = _("panel memberships")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "user"], name="panel_cycle_user_unique"),
            models.UniqueConstraint("cycle", Lower("pseudonym"), name="panel_cycle_pseudonym_unique"),
            models.CheckConstraint(condition=~Q(pseudonym=""), name="panel_pseudonym_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.pseudonym} ({self.cycle})"


class PanelQuestion(models.Model):
    """One question of the panel's rubric, in plain language, answered on a four-step scale."""

    cycle = models.ForeignKey(
        AwardCycle, on_delete=models.CASCADE, related_name="panel_questions", verbose_name=_("award cycle")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_fi = models.CharField(_("question in Finnish"), max_length=200)
    text_sv = models.CharField(_("question in Swedish"), max_length=200, blank=True)
    text_en = models.CharField(_("question in English"), max_length=200, blank=True)

    class Meta:
        ordering = ["cycle", "order", "pk"]
        verbose_name = _("panel question")
        verbose_name_plural = _("panel questions")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return localised(self, "text")


class PanelClearance(models.Model):
    """Staff let the panel read a nomination: with a plain-language summary, and only the attachments and (if
    chosen) the contact details staff have looked at and cleared."""

    nomination = models.OneToOneField(
        Nomination, on_delete=models.CASCADE, related_name="panel_clearance", verbose_name=_("nomination")
    )
    plain_summary_fi = models.TextField(
        _("plain-language summary in Finnish"),
        blank=True,
        help_text=_("Selkokieli: short sentences, everyday words. Shown to the panel before the nominator's text."),
    )
    plain_summary_sv = models.TextField(_("plain-language summary in Swedish"), blank=True)
    plain_summary_en = models.TextField(_("plain-language summary in English"), blank=True)
    show_contact = models.BooleanField(_("show the contact person to the panel"), default=False)
    attachments = models.ManyToManyField(
        Attachment, blank=True, related_name="+", verbose_name=_("attachments the panel may open")
    )
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cleared by"),
    )
    cleared_at = models.DateTimeField(_("cleared"), auto_now=True)

    class Meta:
        verbose_name = _("nomination cleared for the panel")
        verbose_name_plural = _("nominations cleared for the panel")

    def __str__(self) -> str:
        return str(self.nomination)

    @property
    def plain_summary(self) -> str:
        return localised(self, "plain_summary")


class PanelReview(models.Model):
    """One panel member's answers about one nomination: a draft until submitted."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    member = models.ForeignKey(
        PanelMembership, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("panel member")
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="panel_reviews", verbose_name=_("nomination")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    comment = models.TextField(_("what the panel member wants the jury to know"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["nomination", "member"]
        verbose_name = _("panel review")
        verbose_name_plural = _("panel reviews")
        constraints = [
            models.UniqueConstraint(fields=["member", "nomination"], name="panel_review_once_per_member"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False), name="panel_review_submitted_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.pseudonym} – {self.nomination}"


class PanelAnswer(models.Model):
    """The answer to one rubric question: 1–4, or none ("I cannot say")."""

    review = models.ForeignKey(PanelReview, on_delete=models.CASCADE, related_name="answers", verbose_name=_("review"))
    question = models.ForeignKey(
        PanelQuestion, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    value = models.SmallIntegerField(_("answer"), null=True, blank=True)

    class Meta:
        ordering = ["review", "question__order", "question_id"]
        verbose_name = _("panel answer")
        verbose_name_plural = _("panel answers")
        constraints = [
            models.UniqueConstraint(fields=["review", "question"], name="panel_answer_once_per_question"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | (Q(value__gte=PANEL_SCALE_MIN) & Q(value__lte=PANEL_SCALE_MAX)),
                name="panel_answer_within_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"
