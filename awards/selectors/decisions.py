"""Reads of the jury's decision: which nominations a user may place in it, and what keeps it from being confirmed."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from awards.models import Decision, DecisionEntry, Nomination

from .jury import jury_nominations


def decision_candidates(user, cycle) -> QuerySet:
    """Nominations of `cycle` that `user` may place in the decision: for staff every submitted, not ineligible
    nomination; for a chair those that reach them as a jury member (never one they are conflicted with)."""
    queryset = (
        Nomination.objects.filter(cycle=cycle, state=Nomination.State.SUBMITTED)
        .exclude(eligibility=Nomination.Eligibility.INELIGIBLE)
        .select_related("organisation", "practice")
    )
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_staff:
        return queryset
    return jury_nominations(user, queryset)


def decision_problems(decision: Decision | None) -> list[str]:
    """What keeps a draft decision from being confirmed."""
    if decision is None:
        return [_("No decision has been recorded yet.")]
    problems = []
    entries = list(decision.entries.all())
    if not any(e.result == DecisionEntry.Result.WINNER for e in entries):
        problems.append(_("The decision names no winner."))
    problems.extend(
        _("%(name)s: the citation in Finnish is missing.") % {"name": e.nomination.name}
        for e in entries
        if not e.citation_fi.strip()
    )
    return problems
