"""The prize, its yearly cycles and each year's weighted criteria."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from practices.localisation import localised


class Award(models.Model):
    """The prize itself: Kunnallinen lastensuojeluteko."""

    slug = models.SlugField(_("identifier"), unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    organisers = models.CharField(_("organisers"), max_length=300, blank=True)
    description_fi = models.TextField(_("description in Finnish"), blank=True)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self, "name")

    @property
    def description(self) -> str:
        return localised(self, "description")


class AwardCycleQuerySet(models.QuerySet):
    def locked(self, cycle: "AwardCycle") -> "AwardCycle":
        """The cycle's row, locked until the transaction ends (select_for_update), read afresh."""
        return self.select_for_update().get(pk=cycle.pk)

    def results_public(self, at=None):
        """Cycles whose results the public may see: published, and the publication moment has passed."""
        return self.filter(
            state=AwardCycle.State.PUBLISHED,
            results_published_at__isnull=False,
            results_published_at__lte=at or timezone.now(),
        )

    def open_for_nominations(self, at=None):
        at = at or timezone.now()
        return self.filter(state=AwardCycle.State.OPEN, nominations_open_at__lte=at, nominations_close_at__gt=at)


class AwardCycle(models.Model):
    """One year of the prize, moving draft → open → closed → scoring → decided → published."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open for nominations")
        CLOSED = "closed", _("nominations closed")
        SCORING = "scoring", _("jury scoring")
        DECIDED = "decided", _("decided")
        PUBLISHED = "published", _("published")

    class ScoreVisibility(models.TextChoices):
        NEVER = "never", _("never")
        AFTER_OWN_REVIEW = "after_own_review", _("after the juror's own review")
        ALWAYS = "always", _("always")

    class JuryAssignment(models.TextChoices):
        ALL = "all", _("every juror reviews every nomination")
        SELECTED = "selected", _("each juror reviews the nominations assigned to them")

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("award"))
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    nominations_open_at = models.DateTimeField(_("nominations open"), null=True, blank=True)
    nominations_close_at = models.DateTimeField(_("nominations close"), null=True, blank=True)
    jury_opens_at = models.DateTimeField(_("jury scoring opens"), null=True, blank=True)
    jury_closes_at = models.DateTimeField(_("jury scoring closes"), null=True, blank=True)
    announcement_on = models.DateField(_("announcement date"), null=True, blank=True)
    occasion_fi = models.CharField(
        _("occasion in Finnish"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the national child-welfare days."),
    )
    occasion_sv = models.CharField(_("occasion in Swedish"), max_length=200, blank=True)
    occasion_en = models.CharField(_("occasion in English"), max_length=200, blank=True)
    prize_fi = models.TextField(_("prize in Finnish"), blank=True, help_text=_("E.g. a travel grant of 1000 euros."))
    prize_sv = models.TextField(_("prize in Swedish"), blank=True)
    prize_en = models.TextField(_("prize in English"), blank=True)
    eligibility_fi = models.TextField(_("eligibility rules in Finnish"), blank=True)
    eligibility_sv = models.TextField(_("eligibility rules in Swedish"), blank=True)
    eligibility_en = models.TextField(_("eligibility rules in English"), blank=True)
    score_visibility = models.CharField(
        _("jurors see others' scores"),
        max_length=20,
        choices=ScoreVisibility.choices,
        default=ScoreVisibility.AFTER_OWN_REVIEW,
    )
    chair_scores = models.BooleanField(
        _("the chair scores nominations too"),
        default=True,
        help_text=_(
            "A chair who scores sees the ranking only after submitting their own reviews; a chair who does not "
            "score has no reviews of their own and sees the ranking from the start."
        ),
    )
    no_changes_after_seeing_scores = models.BooleanField(
        _("no changes to a review after seeing others' scores"),
        default=False,
        help_text=_(
            "When set, a juror (or the chair) who has been shown other jurors' scores of a nomination can no longer "
            "change their own review of it. Otherwise such changes are allowed and marked in the ranking and the "
            "export."
        ),
    )
    conflicts_include_area = models.BooleanField(
        _("conflicts include the juror organisation's municipalities and county"),
        default=False,
    )
    results_published_at = models.DateTimeField(
        _("results public from"),
        null=True,
        blank=True,
        help_text=_("The moment the results become public; may be scheduled ahead (the announcement at the event)."),
    )
    list_all_nominees = models.BooleanField(
        _("name all nominees publicly"),
        default=False,
        help_text=_("Show every nominee whose nominator consented on the year's public page, not only the results."),
    )
    jury_assignment = models.CharField(
        _("assignment of nominations to jurors"),
        max_length=8,
        choices=JuryAssignment.choices,
        default=JuryAssignment.ALL,
    )
    jury_quorum = models.PositiveSmallIntegerField(
        _("quorum of reviews"),
        default=3,
        help_text=_(
            "How many submitted, scored reviews each nomination should have before the jury period closes; "
            "closing it and confirming the decision warn about nominations with fewer. 0: no warning."
        ),
    )
    jury_closed_at = models.DateTimeField(
        _("jury period closed"),
        null=True,
        blank=True,
        help_text=_("Set when staff close the jury period; nothing changes after it unless staff reopen it."),
    )
    jury_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jury period closed by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AwardCycleQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("award cycle")
        verbose_name_plural = _("award cycles")
        constraints = [
            models.UniqueConstraint(fields=["award", "year"], name="cycle_award_year_unique"),
            models.CheckConstraint(
                condition=Q(nominations_open_at__isnull=True)
                | Q(nominations_close_at__isnull=True)
                | Q(nominations_open_at__lt=F("nominations_close_at")),
                name="cycle_nomination_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award} {self.year}"

    @property
    def occasion(self) -> str:
        return localised(self, "occasion")

    @property
    def prize(self) -> str:
        return localised(self, "prize")

    @property
    def eligibility(self) -> str:
        return localised(self, "eligibility")

    def is_jury_open(self, at=None) -> bool:
        """Jurors may change their reviews: the cycle is in scoring, the period has begun and not closed."""
        at = at or timezone.now()
        return (
            self.state == self.State.SCORING
            and self.jury_closed_at is None
            and (self.jury_opens_at is None or self.jury_opens_at <= at)
            and (self.jury_closes_at is None or at < self.jury_closes_at)
        )

    def is_open_for_nominations(self, at=None) -> bool:
        at = at or timezone.now()
        return (
            self.state == self.State.OPEN
            and self.nominations_open_at is not None
            and self.nominations_close_at is not None
            and self.nominations_open_at <= at < self.nominations_close_at
        )


class Criterion(models.Model):
    """One weighted criterion of a cycle, scored on its scale."""

    cycle = models.ForeignKey(
        AwardCycle, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("award cycle")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    guidance_fi = models.TextField(_("guidance in Finnish"), blank=True)
    guidance_sv = models.TextField(_("guidance in Swedish"), blank=True)
    guidance_en = models.TextField(_("guidance in English"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)

    class Meta:
        ordering = ["cycle", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(scale_min__lt=F("scale_max")), name="criterion_scale_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self, "name")

    @property
    def guidance(self) -> str:
        return localised(self, "guidance")


class ReferenceCounter(models.Model):
    """The last reference number handed out in a cycle; locked with select_for_update when a number is allocated,
    so that numbers are gapless per cycle and never duplicated, however many submit at once."""

    cycle = models.OneToOneField(
        AwardCycle, on_delete=models.CASCADE, related_name="reference_counter", verbose_name=_("award cycle")
    )
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.cycle}: {self.last_number}"
