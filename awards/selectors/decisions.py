"""Reads of the jury's decision: which nominations a user may place in it, and what keeps it from being confirmed."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awards.models import Decision, DecisionEntry, Nomination, Review

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


def out_of_competition(entries) -> list[DecisionEntry]:
    """The entries whose nomination can no longer have a result: withdrawn (or back to a draft), or ineligible."""
    return [
        e
        for e in entries
        if e.nomination.state != Nomination.State.SUBMITTED
        or e.nomination.eligibility == Nomination.Eligibility.INELIGIBLE
    ]


def out_of_competition_problems(entries) -> list[str]:
    problems = []
    for entry in out_of_competition(entries):
        if entry.nomination.eligibility == Nomination.Eligibility.INELIGIBLE:
            text = _("%(name)s is marked ineligible and cannot have a result. Saving the decision removes it.")
        else:
            text = _("%(name)s has been withdrawn and cannot have a result. Saving the decision removes it.")
        problems.append(text % {"name": entry.nomination.name})
    return problems


def decision_problems(decision: Decision | None) -> list[str]:
    """What keeps a draft decision from being confirmed."""
    if decision is None:
        return [_("No decision has been recorded yet.")]
    problems = []
    entries = list(decision.entries.select_related("nomination"))
    problems.extend(out_of_competition_problems(entries))
    valid = [e for e in entries if e not in out_of_competition(entries)]
    if not any(e.result == DecisionEntry.Result.WINNER for e in valid):
        problems.append(_("The decision names no winner."))
    problems.extend(
        _("%(name)s: the citation in Finnish is missing.") % {"name": e.nomination.name}
        for e in entries
        if not e.citation_fi.strip()
    )
    return problems


def eligibility_effects(nomination: Nomination) -> list[str]:
    """What marking `nomination` ineligible affects, for the staff member who just did it."""
    if nomination.eligibility != Nomination.Eligibility.INELIGIBLE:
        return []
    effects = []
    for entry in DecisionEntry.objects.filter(nomination=nomination).select_related("decision"):
        effects.append(
            _(
                "It is named in the jury's draft decision (%(result)s): the decision cannot be confirmed or published "
                "until it is removed. Saving the decision removes it."
            )
            % {"result": entry.get_result_display()}
        )
    reviews = Review.objects.filter(nomination=nomination, state=Review.State.SUBMITTED).count()
    if reviews:
        effects.append(
            ngettext(
                "%(count)d submitted jury review of it no longer counts: it has left the jurors' worklists and the "
                "ranking.",
                "%(count)d submitted jury reviews of it no longer count: it has left the jurors' worklists and the "
                "ranking.",
                reviews,
            )
            % {"count": reviews}
        )
    return effects
