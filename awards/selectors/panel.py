"""Reads of the experts-by-experience panel: who may sign in with an e-mailed code, what reaches a panel member
(only nominations staff cleared for the panel, and never one held by the safeguard or in conflict), their
worklist, and the panel's column beside the jury's in the chair's ranking."""

from dataclasses import dataclass, field
from statistics import mean

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from awards.models import (
    AwardCycle,
    JuryMembership,
    Nomination,
    PanelAnswer,
    PanelClearance,
    PanelMembership,
    PanelQuestion,
    PanelReview,
)

from .jury import JURY_STATES, conflict_q
from .safeguard import held_by_safeguard_q


def code_sign_in_allowed(user) -> bool:
    """Only a panel member without a password may sign in with an e-mailed code alone: never staff, a jury member
    or anyone who has a password, whose sign-in must stay password and authenticator."""
    return bool(
        user is not None
        and user.is_active
        and not user.is_staff
        and not user.has_usable_password()
        and PanelMembership.objects.filter(user=user).exists()
        and not JuryMembership.objects.filter(user=user).exists()
    )


def panel_cycles(user) -> QuerySet:
    """Cycles whose panel the user sits on, once the jury's work has begun."""
    if not (user.is_authenticated and user.is_active):
        return AwardCycle.objects.none()
    return AwardCycle.objects.filter(panel__user=user, state__in=JURY_STATES).select_related("award")


def panel_member(user, cycle) -> PanelMembership | None:
    if not user.is_authenticated:
        return None
    return PanelMembership.objects.filter(user=user, cycle=cycle).first()


def panel_nominations(user, cycle=None) -> QuerySet:
    """What reaches a panel member: submitted, not ineligible, cleared by staff for the panel, not held by the
    child-data safeguard, in a cycle of theirs past the nomination phase, and none they are in conflict with."""
    if not (user.is_authenticated and user.is_active):
        return Nomination.objects.none()
    queryset = Nomination.objects.filter(
        cycle_id__in=PanelMembership.objects.filter(user=user).values("cycle_id"),
        cycle__state__in=JURY_STATES,
        state=Nomination.State.SUBMITTED,
    )
    if cycle is not None:
        queryset = queryset.filter(cycle=cycle)
    return (
        queryset.filter(Exists(PanelClearance.objects.filter(nomination_id=OuterRef("pk"))))
        .exclude(eligibility=Nomination.Eligibility.INELIGIBLE)
        .exclude(conflict_q(user))
        .exclude(held_by_safeguard_q())
    )


def panel_worklist(user, cycle) -> QuerySet:
    own = PanelReview.objects.filter(nomination_id=OuterRef("pk"), member__user=user)
    return (
        panel_nominations(user, cycle)
        .select_related("panel_clearance")
        .annotate(own_state=Subquery(own.values("state")[:1]))
        .order_by("name", "pk")
    )


def panel_questions(cycle) -> list[PanelQuestion]:
    return list(PanelQuestion.objects.filter(cycle=cycle).order_by("order", "pk"))


def cleared_attachments(nomination: Nomination) -> list:
    clearance = PanelClearance.objects.filter(nomination=nomination).first()
    return list(clearance.attachments.order_by("created_at", "pk")) if clearance else []


def cleared_attachment(user, nomination: Nomination, attachment_id: int):
    """The attachment if staff cleared it for the panel and the member may see its nomination; else None."""
    if not panel_nominations(user).filter(pk=nomination.pk).exists():
        return None
    clearance = PanelClearance.objects.filter(nomination=nomination).first()
    return clearance.attachments.filter(pk=attachment_id).first() if clearance else None


@dataclass
class PanelSummary:
    """The panel's answers about one nomination: a column of its own, never part of the jury's scores."""

    reviews: int = 0
    mean: float | None = None
    by_question: list[float | None] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (pseudonym, comment)


def panel_column(cycle, nomination_ids) -> tuple[list[PanelQuestion], dict[int, PanelSummary]]:
    """Per nomination, the panel's submitted answers: their mean on the 1–4 scale, per question, and the
    comments under the members' pseudonyms. Three queries, whatever the number of nominations."""
    questions = panel_questions(cycle)
    reviews = (
        PanelReview.objects.filter(
            nomination_id__in=list(nomination_ids), member__cycle=cycle, state=PanelReview.State.SUBMITTED
        )
        .select_related("member")
        .prefetch_related(Prefetch("answers", queryset=PanelAnswer.objects.order_by("question_id")))
        .order_by("member__pseudonym", "pk")
    )
    summaries: dict[int, PanelSummary] = {}
    values: dict[int, dict[int, list[int]]] = {}
    for review in reviews:
        summary = summaries.setdefault(review.nomination_id, PanelSummary())
        summary.reviews += 1
        if review.comment.strip():
            summary.comments.append((review.member.pseudonym, review.comment))
        per_question = values.setdefault(review.nomination_id, {})
        for answer in review.answers.all():
            if answer.value is not None:
                per_question.setdefault(answer.question_id, []).append(answer.value)
    for nomination_id, summary in summaries.items():
        per_question = values.get(nomination_id, {})
        summary.by_question = [mean(per_question[q.pk]) if per_question.get(q.pk) else None for q in questions]
        every = [v for answers in per_question.values() for v in answers]
        summary.mean = mean(every) if every else None
    return questions, summaries
