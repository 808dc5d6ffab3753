"""Reads of the jury: conflicts of interest, what reaches a juror, the worklist, who sees whose scores, and the
chair's ranking computed in SQL.

Every read starts from jury_nominations and conflict_q, so a nomination a viewer is in conflict with is absent from
the worklist, the ranking and the export alike. The ranking is one SQL statement whatever the size of the cycle:
aggregates and window functions do the arithmetic, Python only shapes the rows.
"""

import json
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import MD5, Cast, Coalesce, Concat

from accounts.models import OrganisationMembership
from awards.models import (
    Assignment,
    AwardCycle,
    ConflictOfInterest,
    Criterion,
    JuryMembership,
    Nomination,
    Review,
    Score,
)
from practices.localisation import by_name, collated
from practices.models import Municipality, Organisation, Practice, WellbeingServicesCounty


def _user_organisation_ids(user):
    return OrganisationMembership.objects.filter(user=user).values("organisation_id")


def conflict_q(user) -> Q:
    """Q over Nomination: the user has a conflict of interest with the nomination.

    A conflict exists when the nomination is by, or for a practice run by, an organisation the user belongs to
    (always); when the cycle says so, also when the nomination's organisation or practice serves a municipality
    or county that the user's organisations serve; and whenever an active declared or staff-added conflict exists.
    """
    own_orgs = _user_organisation_ids(user)
    own_municipalities = Municipality.objects.filter(organisations__memberships__user=user).values("code")
    own_counties = WellbeingServicesCounty.objects.filter(organisations__memberships__user=user).values("code")
    practice_by_own_org = Practice.organisations.through.objects.filter(
        practice_id=OuterRef("practice_id"), organisation_id__in=own_orgs
    )
    area = Q(cycle__conflicts_include_area=True) & (
        Q(organisation__municipalities__in=own_municipalities)
        | Q(organisation__counties__in=own_counties)
        | Q(practice__municipalities__in=own_municipalities)
        | Q(practice__counties__in=own_counties)
    )
    declared = ConflictOfInterest.objects.filter(nomination_id=OuterRef("pk"), user=user, lifted_at__isnull=True)
    area_match = Nomination.objects.filter(area, pk=OuterRef("pk"))
    return Q(organisation_id__in=own_orgs) | Exists(practice_by_own_org) | Exists(area_match) | Exists(declared)


def conflicted_nominations(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Nomination.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(conflict_q(user))


def jury_nominations(user, queryset: QuerySet | None = None) -> QuerySet:
    """Nominations that reach the user as a juror or chair: submitted, not ineligible, in a cycle of
    theirs past the nomination phase, and never one they have a conflict with. Staff are bound here too.
    A deactivated account gets nothing."""
    queryset = Nomination.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    jury_cycles = JuryMembership.objects.filter(user=user).values("cycle_id")
    return (
        queryset.filter(
            cycle_id__in=jury_cycles,
            cycle__state__in=[
                AwardCycle.State.SCORING,
                AwardCycle.State.DECIDED,
                AwardCycle.State.PUBLISHED,
            ],
            state=Nomination.State.SUBMITTED,
        )
        .exclude(eligibility=Nomination.Eligibility.INELIGIBLE)
        .exclude(conflict_q(user))
    )


# A nomination is flagged for discussion when its spread is in the top quarter of the cycle and the jurors are,
# typically, at least one point apart.
DISAGREEMENT_QUANTILE = 0.75
DISAGREEMENT_MIN_SPREAD = 1.0

JURY_STATES = [AwardCycle.State.SCORING, AwardCycle.State.DECIDED, AwardCycle.State.PUBLISHED]


def jury_cycles(user) -> QuerySet:
    """Cycles in which the user sits on the jury and the jury's work has begun."""
    if not user.is_authenticated:
        return AwardCycle.objects.none()
    return AwardCycle.objects.filter(jury__user=user, state__in=JURY_STATES).select_related("award")


def is_jury_member(user, cycle) -> bool:
    return bool(user.is_authenticated and JuryMembership.objects.filter(user=user, cycle=cycle).exists())


def assigned_nominations(user, cycle) -> QuerySet:
    """The nominations the user reviews in the cycle: those reaching them as a juror (never a conflicted one),
    and, when the cycle assigns selected nominations only, those assigned to them."""
    queryset = jury_nominations(user).filter(cycle=cycle)
    if cycle.jury_assignment == AwardCycle.JuryAssignment.SELECTED:
        queryset = queryset.filter(Exists(Assignment.objects.filter(nomination_id=OuterRef("pk"), juror=user)))
    return queryset


def juror_worklist(user, cycle) -> QuerySet:
    """The juror's assigned nominations with their own progress, in a random order that stays fixed for the
    juror (md5 of juror and nomination), so that order effects spread over the jury."""
    own = Review.objects.filter(nomination_id=OuterRef("pk"), juror=user)
    return (
        assigned_nominations(user, cycle)
        .select_related("organisation")
        .annotate(
            own_review_state=Subquery(own.values("state")[:1]),
            own_abstain=Subquery(own.values("abstain")[:1]),
            order_key=MD5(Concat(Value(f"{user.pk}-"), Cast("pk", CharField()))),
        )
        .order_by("order_key", "pk")
    )


# Fields of the nomination's practice description the jury reads, in reading order (never the contact details).
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


def jury_reading_places(nomination) -> dict:
    """Where the nominated practice works, as the jury reads it: organisations, municipalities and counties,
    each sorted by name in the reader's language."""
    return {
        "organisations": list(nomination.practice_organisations.order_by(collated("name"), "pk")),
        "municipalities": list(by_name(nomination.municipalities.all())),
        "counties": list(by_name(nomination.counties.all())),
    }


def unfinished_count(user, cycle) -> int:
    """How many of the juror's assigned nominations still lack their submitted review."""
    submitted = Review.objects.filter(nomination_id=OuterRef("pk"), juror=user, state=Review.State.SUBMITTED)
    return assigned_nominations(user, cycle).exclude(Exists(submitted)).count()


def jury_progress(cycle) -> list[dict]:
    """Per jury member: reviews to do, drafts and submitted, counted over what each member may see (a count only,
    so nothing of a conflicted nomination shows). Chairs first, then by name."""
    counts = {
        row["juror_id"]: row
        for row in Review.objects.filter(nomination__cycle=cycle)
        .values("juror_id")
        .annotate(
            submitted=Count("pk", filter=Q(state=Review.State.SUBMITTED)),
            drafts=Count("pk", filter=Q(state=Review.State.DRAFT)),
        )
    }
    memberships = JuryMembership.objects.filter(cycle=cycle).select_related("user")
    progress = []
    for membership in memberships.order_by("role", "user__last_name", "user__email"):
        assigned = assigned_nominations(membership.user, cycle).count()
        row = counts.get(membership.user_id, {})
        submitted = row.get("submitted", 0)
        progress.append(
            {
                "membership": membership,
                "assigned": assigned,
                "submitted": submitted,
                "drafts": row.get("drafts", 0),
                "left": max(assigned - submitted, 0),
            }
        )
    return progress


@dataclass
class JuryCloseSummary:
    """What closing the jury period would leave undone, for the warning before it is closed."""

    quorum: int
    unfinished: list[dict]  # jury_progress rows of members with reviews left
    under_quorum: list  # nominations the viewer may see, each with .scored_reviews below the quorum
    hidden_under_quorum: int  # nominations under the quorum that the viewer is in conflict with (a count only)

    @property
    def unfinished_reviews(self) -> int:
        return sum(row["left"] for row in self.unfinished)

    @property
    def has_warnings(self) -> bool:
        return bool(self.unfinished or self.under_quorum or self.hidden_under_quorum)


def jury_close_summary(user, cycle) -> JuryCloseSummary:
    """Who still has unfinished reviews, and which nominations have fewer scored reviews than the cycle's quorum."""
    unfinished = [row for row in jury_progress(cycle) if row["left"]]
    quorum = cycle.jury_quorum or 0
    under, hidden = [], 0
    if quorum:
        scored = Count("reviews", filter=Q(reviews__state=Review.State.SUBMITTED, reviews__abstain=False))
        reaching = (
            Nomination.objects.filter(cycle=cycle, state=Nomination.State.SUBMITTED)
            .exclude(eligibility=Nomination.Eligibility.INELIGIBLE)
            .annotate(scored_reviews=scored)
            .filter(scored_reviews__lt=quorum)
        )
        visible = set(ranking_nominations(user, cycle).values_list("pk", flat=True))
        for nomination in reaching.order_by("reference", "pk"):
            if nomination.pk in visible:
                under.append(nomination)
            else:
                hidden += 1
    return JuryCloseSummary(quorum=quorum, unfinished=unfinished, under_quorum=under, hidden_under_quorum=hidden)


def others_visible(user, review: Review | None, cycle) -> bool:
    """May the juror see other jurors' scores, comments and averages of this nomination?

    Never before their own review of it has been submitted (independence). After that by the cycle's setting:
    "never" hides them, "after own review" shows them while the juror's review stands submitted, "always" keeps
    showing them once the juror has submitted, also while the juror has reopened the review to edit it.
    """
    if review is None or review.juror_id != user.pk:
        return False
    setting = cycle.score_visibility
    if setting == AwardCycle.ScoreVisibility.NEVER:
        return False
    if setting == AwardCycle.ScoreVisibility.ALWAYS:
        return review.first_submitted_at is not None
    return review.is_submitted


def others_reviews(user, nomination) -> QuerySet:
    """Other jurors' submitted reviews of a nomination, with their scores; callers check others_visible first."""
    return (
        Review.objects.filter(nomination=nomination, state=Review.State.SUBMITTED)
        .exclude(juror=user)
        .select_related("juror")
        .prefetch_related("scores__criterion")
        .order_by("juror__last_name", "juror__first_name", "pk")
    )


def ranking_nominations(user, cycle) -> QuerySet:
    """Nominations in the viewer's ranking: a jury member (chair, or staff sitting on this jury) gets
    jury_nominations; other staff get every nomination that reaches the jury, minus any they are in conflict with.
    Others get nothing (the view refuses them before)."""
    if is_jury_member(user, cycle):
        return jury_nominations(user).filter(cycle=cycle)
    if user.is_authenticated and user.is_active and user.is_staff:
        return (
            Nomination.objects.filter(cycle=cycle, state=Nomination.State.SUBMITTED)
            .exclude(eligibility=Nomination.Eligibility.INELIGIBLE)
            .exclude(conflict_q(user))
        )
    return Nomination.objects.none()


@dataclass
class RankingRow:
    nomination_id: int
    reference: str | None
    name: str
    organisation: str | None
    weighted: float | None
    median: float | None
    mean: float | None
    spread: float | None
    reviews: int
    abstentions: int
    normalised: float | None
    disagreement: bool
    by_criterion: list[float | None] = field(default_factory=list)
    rank: int | None = None
    normalised_rank: int | None = None


@dataclass
class Ranking:
    criteria: list[Criterion]
    rows: list[RankingRow]


RANKING_SQL = """
WITH visible(id) AS ({visible}),
submitted AS (
    SELECT r.id, r.juror_id, r.nomination_id, r.abstain
    FROM {review} r
    WHERE r.state = 'submitted' AND r.nomination_id IN (SELECT id FROM visible)
),
score_sums AS (
    -- One weighted score per review: the criteria's weighted mean of the juror's scores.
    SELECT s.review_id,
           SUM(s.value * c.weight::float8) / SUM(c.weight::float8) AS ws,
           SUM(s.value::float8) AS value_sum,
           COUNT(*) AS value_count
    FROM {score} s
    JOIN {criterion} c ON c.id = s.criterion_id
    WHERE c.cycle_id = %s AND s.value IS NOT NULL
    GROUP BY s.review_id
),
review_scores AS (
    SELECT s_r.id AS review_id, s_r.juror_id, s_r.nomination_id, ss.ws, ss.value_sum, ss.value_count
    FROM submitted s_r
    JOIN score_sums ss ON ss.review_id = s_r.id
    WHERE NOT s_r.abstain
),
normalised AS (
    -- Each juror's weighted scores as z-scores over that juror's own reviews; 0 where a juror has no spread.
    SELECT review_scores.*,
           COALESCE((ws - AVG(ws) OVER per_juror) / NULLIF(STDDEV_SAMP(ws) OVER per_juror, 0), 0) AS z
    FROM review_scores
    WINDOW per_juror AS (PARTITION BY juror_id)
),
per_nomination AS (
    SELECT nomination_id,
           AVG(ws) AS weighted,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ws) AS median,
           SUM(value_sum) / NULLIF(SUM(value_count), 0) AS mean,
           STDDEV_SAMP(ws) AS spread,
           COUNT(*) AS reviews,
           AVG(z) AS normalised
    FROM normalised
    GROUP BY nomination_id
),
spread_rank AS (
    SELECT nomination_id, CUME_DIST() OVER (ORDER BY spread) AS spread_cume
    FROM per_nomination
    WHERE spread IS NOT NULL
),
abstentions AS (
    SELECT nomination_id, COUNT(*) AS n FROM submitted WHERE abstain GROUP BY nomination_id
),
per_criterion AS (
    SELECT nomination_id, jsonb_object_agg(criterion_id, avg_value) AS by_criterion
    FROM (
        SELECT s_r.nomination_id, s.criterion_id, AVG(s.value::float8) AS avg_value
        FROM submitted s_r
        JOIN {score} s ON s.review_id = s_r.id AND s.value IS NOT NULL
        WHERE NOT s_r.abstain
        GROUP BY s_r.nomination_id, s.criterion_id
    ) criterion_means
    GROUP BY nomination_id
)
SELECT n.id, n.reference, n.name, o.name,
       p.weighted, p.median, p.mean, p.spread,
       COALESCE(p.reviews, 0), COALESCE(a.n, 0), p.normalised,
       COALESCE(sr.spread_cume >= %s AND p.spread >= %s, FALSE),
       pc.by_criterion
FROM {nomination} n
JOIN visible v ON v.id = n.id
LEFT JOIN {organisation} o ON o.id = n.organisation_id
LEFT JOIN per_nomination p ON p.nomination_id = n.id
LEFT JOIN spread_rank sr ON sr.nomination_id = n.id
LEFT JOIN abstentions a ON a.nomination_id = n.id
LEFT JOIN per_criterion pc ON pc.nomination_id = n.id
ORDER BY p.weighted DESC NULLS LAST, n.reference, n.id
"""


def _ranks(rows: list[RankingRow], key: str, target: str) -> None:
    """Competition ranking (1, 2, 2, 4) by `key`, highest first; rows without a value get no rank."""
    scored = sorted((r for r in rows if getattr(r, key) is not None), key=lambda r: -getattr(r, key))
    previous, rank = None, 0
    for position, row in enumerate(scored, start=1):
        value = round(getattr(row, key), 9)
        if value != previous:
            rank, previous = position, value
        setattr(row, target, rank)


def ranking(user, cycle) -> Ranking:
    """The combined ranking of the cycle as the viewer may see it: two queries (criteria, ranking)."""
    criteria = list(Criterion.objects.filter(cycle=cycle).order_by("order", "pk"))
    try:
        visible_sql, visible_params = ranking_nominations(user, cycle).order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # the viewer may see none
        return Ranking(criteria=criteria, rows=[])
    sql = RANKING_SQL.format(
        visible=visible_sql,
        review=Review._meta.db_table,
        score=Score._meta.db_table,
        criterion=Criterion._meta.db_table,
        nomination=Nomination._meta.db_table,
        organisation=Organisation._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*visible_params, cycle.pk, DISAGREEMENT_QUANTILE, DISAGREEMENT_MIN_SPREAD])
        records = cursor.fetchall()
    rows = []
    for record in records:
        # Django leaves jsonb undecoded on its connections; decode it here.
        by_criterion = json.loads(record[12]) if isinstance(record[12], str) else record[12] or {}
        rows.append(
            RankingRow(
                *record[:12],
                by_criterion=[by_criterion.get(str(c.pk)) for c in criteria],
            )
        )
    _ranks(rows, "weighted", "rank")
    _ranks(rows, "normalised", "normalised_rank")
    return Ranking(criteria=criteria, rows=rows)


def export_reviews(user, cycle) -> QuerySet:
    """Every review of the cycle's nominations the viewer may see, with scores, for the staff export."""
    return (
        Review.objects.filter(nomination__in=ranking_nominations(user, cycle))
        .select_related("juror", "nomination")
        .prefetch_related("scores")
        .annotate(nomination_reference=Coalesce(F("nomination__reference"), Value("")))
        .order_by("nomination__reference", "nomination_id", "juror__email")
    )
