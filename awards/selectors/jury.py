"""Reads of the jury: conflicts of interest, what reaches a juror, the worklist, who sees whose scores, and the
chair's ranking computed in SQL.

Every read starts from jury_nominations and conflict_q, so a nomination a viewer is in conflict with is absent from
the worklist, the ranking and the export alike. The ranking is one SQL statement whatever the size of the cycle:
aggregates and window functions do the arithmetic, Python only shapes the rows.
"""

import functools
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import MD5, Cast, Coalesce, Concat
from django.utils.translation import gettext as _

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
from practices.models import Organisation, Practice

from .safeguard import READING_FIELDS, held_by_safeguard_q


def _deeper(user_id):
    """The juror's reference one subquery further in: a fixed id stays, an OuterRef wraps once more."""
    return OuterRef(user_id) if isinstance(user_id, OuterRef) else user_id


def _conflict_condition(user_id, nomination: str, gate: Q | None = None) -> Q:
    """The one definition of a conflict of interest, between a juror (`user_id`: an id, or an OuterRef to one) and
    a nomination (`nomination`: the path from the filtered model to the nomination's fields, "" on Nomination,
    "nomination__" on Review).

    A conflict exists when the nomination is by, or for a practice run by, an organisation the juror belongs to
    (always); when the cycle says so, also when the nomination's organisation or practice serves a municipality
    or county that the juror's organisations serve; and whenever an active declared or staff-added conflict exists.

    Every condition but the declared one needs a membership of the juror; `gate`, when given, is a cheap test of
    that (true whenever the juror has any membership), put in front so that the per-row subqueries run only for
    jurors who have one. It changes which rows are tested, never the answer.
    """
    organisation, practice = OuterRef(f"{nomination}organisation_id"), OuterRef(f"{nomination}practice_id")
    pk = OuterRef("nomination_id" if nomination else "pk")
    deeper = _deeper(user_id)
    memberships = OrganisationMembership.objects.filter(user_id=user_id)
    practice_by_own_org = Practice.organisations.through.objects.filter(
        practice_id=practice,
        organisation_id__in=OrganisationMembership.objects.filter(user_id=deeper).values("organisation_id"),
    )
    own_municipalities = Organisation.municipalities.through.objects.filter(
        organisation__memberships__user_id=deeper
    ).values("municipality_id")
    own_counties = Organisation.counties.through.objects.filter(organisation__memberships__user_id=deeper).values(
        "wellbeingservicescounty_id"
    )
    area = Q(**{f"{nomination}cycle__conflicts_include_area": True}) & (
        Exists(
            Organisation.municipalities.through.objects.filter(
                organisation_id=organisation, municipality_id__in=own_municipalities
            )
        )
        | Exists(
            Organisation.counties.through.objects.filter(
                organisation_id=organisation, wellbeingservicescounty_id__in=own_counties
            )
        )
        | Exists(
            Practice.municipalities.through.objects.filter(practice_id=practice, municipality_id__in=own_municipalities)
        )
        | Exists(
            Practice.counties.through.objects.filter(practice_id=practice, wellbeingservicescounty_id__in=own_counties)
        )
    )
    declared = ConflictOfInterest.objects.filter(nomination_id=pk, user_id=user_id, lifted_at__isnull=True)
    by_membership = Exists(memberships.filter(organisation_id=organisation)) | Exists(practice_by_own_org) | area
    if gate is not None:
        by_membership = gate & by_membership
    return by_membership | Exists(declared)


def conflict_q(user) -> Q:
    """Q over Nomination: the user has a conflict of interest with the nomination (_conflict_condition)."""
    return _conflict_condition(user.pk, "")


def review_conflict_q() -> Q:
    """Q over Review: the review's own juror has a conflict of interest with its nomination, whenever the conflict
    was found (declared, recorded by staff, or computed from a membership added after the scoring)."""
    # One hashed lookup of the jurors with any membership, instead of six subqueries per review (a large cycle has
    # tens of thousands of reviews, most by jurors whose organisations nominated nothing).
    return _conflict_condition(OuterRef("juror_id"), "nomination__", gate=_with_membership_q())


def _with_membership_q() -> Q:
    """Q over Review: the review's juror has a membership of some organisation (true whenever a conflict other than
    a recorded one can exist)."""
    return Q(juror_id__in=OrganisationMembership.objects.values("user_id"))


def conflicted_nominations(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Nomination.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(conflict_q(user))


def jury_nominations(user, queryset: QuerySet | None = None) -> QuerySet:
    """Nominations that reach the user as a juror or chair: submitted, not ineligible, in a cycle of
    theirs past the nomination phase, never one they have a conflict with, and never one whose possible personal
    data staff have not yet cleared (awards/selectors/safeguard.py). Staff are bound here too.
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
        .exclude(held_by_safeguard_q())
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
    if not cycle.chair_scores:
        # A chair who does not score has no reviews to do (and sees the ranking from the start).
        chair = JuryMembership.objects.filter(user=user, cycle=cycle, role=JuryMembership.Role.CHAIR)
        queryset = queryset.exclude(Exists(chair))
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


def jury_reading_places(nomination) -> dict:
    """Where the nominated practice works, as the jury reads it: organisations, municipalities and counties,
    each sorted by name in the reader's language."""
    return {
        "organisations": list(nomination.practice_organisations.order_by(collated("name"), "pk")),
        "municipalities": list(by_name(nomination.municipalities.all())),
        "counties": list(by_name(nomination.counties.all())),
    }


def jury_reading(nomination) -> dict:
    """What the jury reads of a nomination, in the jury's order: the description's texts (never the contact
    details), where the practice works, and the attachments. The scoring page and the nominator's "as the jury will
    read it" page both show this."""
    return {
        "reading": [
            (Nomination._meta.get_field(name).verbose_name, getattr(nomination, name))
            for name in READING_FIELDS
            if getattr(nomination, name)
        ],
        "places": jury_reading_places(nomination),
        "attachments": list(nomination.attachments.all()),
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


def ranking_scores_visible(user, cycle) -> bool:
    """Blind scoring, for the ranking: staff see it; a chair sees it when they do not score, or once every
    nomination they review has their submitted review (while one is reopened, the ranking is closed again)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_staff:
        return True
    if not JuryMembership.objects.filter(user=user, cycle=cycle, role=JuryMembership.Role.CHAIR).exists():
        return False
    return not cycle.chair_scores or unfinished_count(user, cycle) == 0


def review_change_refusal(review: Review, cycle) -> str | None:
    """Why the juror may not change this review now because they have seen others' scores, or None."""
    if review.others_seen_at is not None and cycle.no_changes_after_seeing_scores:
        return _(
            "You have seen the other jurors' scores of this nomination, and in this cycle a review cannot be "
            "changed after that."
        )
    return None


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
            .exclude(held_by_safeguard_q())
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
    revised: int = 0  # submitted reviews changed after their author saw others' scores
    left_out: int = 0  # submitted reviews left out because their juror has a conflict of interest
    by_criterion: list[float | None] = field(default_factory=list)
    rank: int | None = None
    normalised_rank: int | None = None


@dataclass
class Ranking:
    criteria: list[Criterion]
    rows: list[RankingRow]


def review_tally_columns() -> dict:
    """What the ranking reads of a review's scores, as the values of the columns Review stores for it
    (awards/models/jury.py): the scores in the order of its cycle's criteria by id, None where a criterion has no
    score; the weighted mean of the scored criteria under their current weights (None when nothing is scored);
    the sum and the number of the scores given. Written by awards.services.jury.reviews_tally_refresh whenever a
    score or a criterion changes."""
    scored = Score.objects.filter(review_id=OuterRef("pk"), value__isnull=False).order_by().values("review_id")
    value, weight = Cast("value", FloatField()), Cast("criterion__weight", FloatField())
    by_criterion = (
        Criterion.objects.filter(cycle__nominations=OuterRef("nomination_id"))
        .order_by("pk")
        .values(
            score=Subquery(
                Score.objects.filter(review_id=OuterRef(OuterRef("pk")), criterion_id=OuterRef("pk")).values("value")
            )
        )
    )
    return {
        "criterion_scores": Coalesce(ArraySubquery(by_criterion), Value([])),
        "weighted_score": Subquery(scored.annotate(ws=Sum(value * weight) / Sum(weight)).values("ws")),
        "score_sum": Coalesce(Subquery(scored.annotate(total=Sum("value")).values("total")), 0),
        "score_count": Coalesce(Subquery(scored.annotate(given=Count("pk")).values("given")), 0),
    }


RANKING_SQL = """
WITH
-- Each juror's mean and spread over their reviews that count (submitted, of a visible nomination, not in conflict,
-- not abstained, scoring anything; each with its weighted score as stored from its scores, review_tally_columns:
-- the 300,000 scores of a large cycle are not read), to express their scores as z-scores.
per_juror AS MATERIALIZED (
    SELECT juror_id, AVG(weighted_score) AS mean_ws, STDDEV_SAMP(weighted_score) AS sd_ws
    FROM {review}
    WHERE state = %s AND nomination_id = ANY(%s::bigint[]) AND {counts}
    GROUP BY juror_id
),
-- The same as arrays in the order of the jurors' ids, where a review finds its juror's by a binary search
-- (width_bucket) rather than a join: the join's output has no order, and sorting the reviews of a large cycle
-- by nomination again took a tenth of the ranking. A review that counts has its juror among these, so the search
-- lands on its own juror; for the others the value is never read.
jurors AS (
    SELECT array_agg(juror_id ORDER BY juror_id) AS ids,
           array_agg(mean_ws ORDER BY juror_id) AS means,
           array_agg(sd_ws ORDER BY juror_id) AS sds
    FROM per_juror
),
-- One pass over the visible nominations' submitted reviews, in the order of the nominations (read so through
-- their index: no sort), each review's flags computed once; the statistics read only the reviews that count,
-- the counts the others too. A review whose juror is in conflict with its nomination never counts, however late
-- the conflict was found (it is only counted, in left_out); the conflicted reviews come as ids, read before.
per_nomination AS (
    SELECT r.nomination_id,
           AVG(r.weighted_score) FILTER (WHERE r.counts) AS weighted,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY r.weighted_score) FILTER (WHERE r.counts) AS median,
           SUM(r.score_sum) FILTER (WHERE r.counts)::float8
               / NULLIF(SUM(r.score_count) FILTER (WHERE r.counts), 0) AS mean,
           STDDEV_SAMP(r.weighted_score) FILTER (WHERE r.counts) AS spread,
           COUNT(*) FILTER (WHERE r.counts) AS reviews,
           -- 0 where a juror has no spread.
           AVG(COALESCE(
               (r.weighted_score - (SELECT means FROM jurors)[r.juror]) / NULLIF((SELECT sds FROM jurors)[r.juror], 0),
               0
           )) FILTER (WHERE r.counts) AS normalised,
           COUNT(*) FILTER (WHERE r.conflicted) AS left_out,
           COUNT(*) FILTER (WHERE r.abstain AND NOT r.conflicted) AS abstentions,
           COUNT(*) FILTER (WHERE r.changed_after_seeing_at IS NOT NULL AND NOT r.conflicted) AS revised
           {criterion_means}
    FROM (
        -- The scores by criterion copied once into an array of its own, whose elements are then read in place:
        -- a short array is kept in the row with a one-byte header, and each element read from the row would
        -- expand a copy of the whole array again (a tenth of the ranking with six criteria).
        SELECT nomination_id, weighted_score, score_sum, score_count, criterion_scores || '{{}}'::smallint[] AS scores,
               abstain, changed_after_seeing_at,
               id = ANY(%s::bigint[]) AS conflicted,
               {counts} AS counts,
               width_bucket(juror_id, (SELECT ids FROM jurors)) AS juror
        FROM {review}
        WHERE state = %s AND nomination_id = ANY(%s::bigint[])
        ORDER BY nomination_id
        OFFSET 0
    ) r
    GROUP BY r.nomination_id
),
spread_rank AS (
    SELECT nomination_id, CUME_DIST() OVER (ORDER BY spread) AS spread_cume
    FROM per_nomination
    WHERE spread IS NOT NULL
)
SELECT n.id, n.reference, n.name, o.name,
       p.weighted, p.median, p.mean, p.spread,
       COALESCE(p.reviews, 0), COALESCE(p.abstentions, 0), p.normalised,
       COALESCE(sr.spread_cume >= %s AND p.spread >= %s, FALSE),
       COALESCE(p.revised, 0), COALESCE(p.left_out, 0){criterion_results}
FROM {nomination} n
LEFT JOIN {organisation} o ON o.id = n.organisation_id
LEFT JOIN per_nomination p ON p.nomination_id = n.id
LEFT JOIN spread_rank sr ON sr.nomination_id = n.id
-- The visible nominations as an array, read before (as above): the planner then knows how many there are, and
-- joins the statistics by hash (estimated from the visibility rule's subqueries, a handful, it chose nested loops
-- over the thousand rows of each), and it is a plain index condition on the reviews.
WHERE n.id = ANY(%s::bigint[])
ORDER BY p.weighted DESC NULLS LAST, n.reference, n.id
"""
# Whether a submitted review counts in the statistics: not abstained, scoring anything, and not one of the
# conflicted reviews (their ids the parameter). The same condition in both passes of RANKING_SQL.
REVIEW_COUNTS_SQL = "(NOT abstain AND score_count > 0 AND NOT (id = ANY(%s::bigint[])))"


def _ranks(rows: list[RankingRow], key: str, target: str) -> None:
    """Competition ranking (1, 2, 2, 4) by `key`, highest first; rows without a value get no rank."""
    scored = sorted((r for r in rows if getattr(r, key) is not None), key=lambda r: -getattr(r, key))
    previous, rank = None, 0
    for position, row in enumerate(scored, start=1):
        value = round(getattr(row, key), 9)
        if value != previous:
            rank, previous = position, value
        setattr(row, target, rank)


@functools.cache
def _conflicted_reviews_sql() -> tuple[str, tuple]:
    """The SQL of the submitted reviews whose juror is in conflict with their nomination (review_conflict_q,
    however late the conflict was found), as (id, nomination_id). The rule is tested only on the reviews that can
    be in conflict: those of jurors with a membership, and those with a conflict recorded for their juror and
    nomination (the rule's other conditions all need a membership); a large cycle's other reviews, nine in ten,
    are never tested (testing the rule on every review took a sixth of the ranking). It names no viewer, cycle
    or moment, so it is compiled once per process (compiling the rule's subqueries took a twentieth)."""
    submitted = Review.objects.filter(state=Review.State.SUBMITTED).order_by()
    recorded = ConflictOfInterest.objects.filter(user_id=OuterRef("juror_id"), nomination_id=OuterRef("nomination_id"))
    by_member = submitted.filter(_with_membership_q())
    with_recorded = submitted.filter(Exists(recorded))
    candidates = [
        queryset.filter(review_conflict_q()).values("id", "nomination_id") for queryset in (by_member, with_recorded)
    ]
    sql, params = candidates[0].union(candidates[1]).order_by().query.sql_with_params()
    return sql, tuple(params)


def _id_array(ids: list[int]) -> str:
    """Ids as the text of a PostgreSQL array, passed as one parameter and cast in the SQL (`%s::bigint[]`, the
    columns' type: compared with an array of another integer type, a list is searched element by element instead
    of through a hash of it). The driver writes a list parameter out element by element in Python: for the ids of
    a large cycle, written four times into the ranking, that took a tenth of the ranking."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


def _conflicted_review_ids(nomination_ids: str) -> list[int]:
    """The ids of the submitted reviews of the given nominations (an _id_array) that are in conflict."""
    sql, params = _conflicted_reviews_sql()
    with connection.cursor() as cursor:
        query = f"SELECT c.id FROM ({sql}) c WHERE c.nomination_id = ANY(%s::bigint[])"  # noqa: S608 (our own compiled SQL; values as parameters)
        cursor.execute(query, [*params, nomination_ids])
        return [row[0] for row in cursor.fetchall()]


def ranking(user, cycle) -> Ranking:
    """The combined ranking of the cycle as the viewer may see it: four queries (criteria, the visible
    nominations, their conflicted reviews, the ranking)."""
    criteria = list(Criterion.objects.filter(cycle=cycle).order_by("order", "pk"))
    visible = ranking_nominations(user, cycle).order_by().values("pk")
    visible_ids = list(visible.values_list("pk", flat=True))
    if not visible_ids:  # the viewer may see none
        return Ranking(criteria=criteria, rows=[])
    nominations = _id_array(visible_ids)
    conflicted = _id_array(_conflicted_review_ids(nominations))
    # One column per criterion, in the order shown; a review stores its scores in the order of the criteria's ids
    # (review_tally_columns). Positions are numbers computed here, written into the SQL as numbers.
    position = {pk: index for index, pk in enumerate(sorted(c.pk for c in criteria), start=1)}
    sql = RANKING_SQL.format(
        review=Review._meta.db_table,
        nomination=Nomination._meta.db_table,
        organisation=Organisation._meta.db_table,
        counts=REVIEW_COUNTS_SQL,
        criterion_means="".join(
            f", AVG(r.scores[{int(position[c.pk])}]::float8) FILTER (WHERE r.counts) AS m{int(c.pk)}" for c in criteria
        ),
        criterion_results="".join(f", p.m{int(c.pk)}" for c in criteria),
    )
    submitted = Review.State.SUBMITTED.value
    params = [
        *(submitted, nominations, conflicted),  # per_juror
        *(conflicted, conflicted, submitted, nominations),  # per_nomination
        *(DISAGREEMENT_QUANTILE, DISAGREEMENT_MIN_SPREAD, nominations),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        records = cursor.fetchall()
    rows = [RankingRow(*record[:14], by_criterion=list(record[14:])) for record in records]
    _ranks(rows, "weighted", "rank")
    _ranks(rows, "normalised", "normalised_rank")
    return Ranking(criteria=criteria, rows=rows)


def export_reviews(user, cycle) -> QuerySet:
    """Every review of the cycle's nominations the viewer may see, with scores, for the staff export."""
    return (
        Review.objects.filter(nomination__in=ranking_nominations(user, cycle))
        .exclude(review_conflict_q())
        .select_related("juror", "nomination")
        .prefetch_related("scores")
        .annotate(nomination_reference=Coalesce(F("nomination__reference"), Value("")))
        .order_by("nomination__reference", "nomination_id", "juror__email")
    )
