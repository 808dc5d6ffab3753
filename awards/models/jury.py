"""The jury of a cycle, conflicts of interest, assignments, and the jurors' reviews and scores."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from practices.models import StoredColumnsMixin

from .cycles import AwardCycle, Criterion
from .nominations import Nomination


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

    Conflicts through the juror's own organisations are computed, not stored (awards/selectors/jury.py), so they
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


class Assignment(models.Model):
    """A nomination given to a juror to review, used when the cycle assigns selected nominations only."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("nomination")
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jury_assignments",
        verbose_name=_("juror"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["nomination", "juror"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.juror} → {self.nomination}"


class Review(StoredColumnsMixin, models.Model):
    """One juror's review of one nomination: a draft until submitted; an abstention carries a reason."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("juror")
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("nomination")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    abstain = models.BooleanField(_("abstain"), default=False)
    abstain_reason = models.TextField(_("reason for abstaining"), blank=True)
    overall_comment = models.TextField(_("overall comment"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    # Blind scoring (awards/selectors/jury.py): when its author was first shown other jurors' scores of the
    # nomination (their review page or the ranking), and when the review last changed after that.
    others_seen_at = models.DateTimeField(_("others' scores seen"), null=True, blank=True)
    changed_after_seeing_at = models.DateTimeField(_("changed after seeing others' scores"), null=True, blank=True)
    # Optimistic concurrency: every save increments it; a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=0)
    # What the chair's ranking reads of the scores, so that it reads one row per review instead of a score per
    # criterion: the scores in the order of the cycle's criteria by id (None where not scored), the weighted mean
    # of the scored ones under the criteria's current weights, and the sum and number of the scores given. Stored
    # from them (awards.selectors.jury.review_tally_columns) by the receivers of awards/review_tallies.py on every
    # save of a score and every save and delete of a criterion; never by a save of the review (StoredColumnsMixin):
    # a review read before its scores changed (the service reads it, writes the scores, then saves it) would write
    # back the old tally.
    criterion_scores = ArrayField(
        models.SmallIntegerField(null=True), verbose_name=_("scores by criterion"), default=list, editable=False
    )
    weighted_score = models.FloatField(_("weighted score"), null=True, editable=False)
    score_sum = models.IntegerField(_("sum of scores"), default=0, editable=False)
    score_count = models.PositiveSmallIntegerField(_("number of scores"), default=0, editable=False)

    STORED_COLUMNS = ("criterion_scores", "weighted_score", "score_sum", "score_count")

    class Meta:
        ordering = ["nomination", "juror"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["juror", "nomination"], name="review_one_per_juror_nomination"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False), name="review_submitted_has_time"
            ),
            models.CheckConstraint(
                condition=Q(abstain=False) | ~Q(abstain_reason=""), name="review_abstention_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.juror} – {self.nomination}"

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED


class Score(models.Model):
    """A juror's score of one criterion. The criterion's scale is copied here so that the database itself
    refuses a score outside it (a CHECK constraint cannot look at another table)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review"))
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    value = models.SmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    scale_min = models.SmallIntegerField(_("lowest score"))
    scale_max = models.SmallIntegerField(_("highest score"))

    class Meta:
        ordering = ["review", "criterion__order", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_one_per_review_criterion"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | (Q(value__gte=F("scale_min")) & Q(value__lte=F("scale_max"))),
                name="score_within_scale",
            ),
            models.CheckConstraint(condition=Q(scale_min__lt=F("scale_max")), name="score_scale_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
