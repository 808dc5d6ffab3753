"""Every write of the jury's decision: saving the draft, confirming it, and staff reopening it."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit
from accounts.models import User
from awards.models import AwardCycle, Decision, DecisionEntry, DecisionReopening, Nomination
from awards.rules import require
from awards.selectors.decisions import decision_candidates, decision_problems, out_of_competition
from awards.services.jury import jury_period_close

# Cycle states in which the jury's decision may be recorded.
DECISION_STATES = {AwardCycle.State.SCORING, AwardCycle.State.DECIDED}


@dataclass
class EntryData:
    """One line of the decision as the chair or staff enter it."""

    nomination: Nomination
    result: str
    citation_fi: str = ""
    citation_sv: str = ""
    citation_en: str = ""
    order: int = 0
    panel_note: str = ""  # what the experts-by-experience panel said, cited in the record


@transaction.atomic
def decision_save(*, cycle: AwardCycle, by: User, entries: list[EntryData], request=None) -> Decision:
    """Save the draft decision: the results the user may set, replacing their earlier ones.

    Entries of nominations the user may not see (a chair's conflicts) are left untouched, never deleted."""
    require("record_decision", by, cycle)
    cycle = AwardCycle.objects.locked(cycle)
    if cycle.state not in DECISION_STATES:
        raise ValidationError(_("The decision can be recorded only after the jury's scoring has begun."))
    decision, _created = Decision.objects.get_or_create(cycle=cycle)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.state == Decision.State.CONFIRMED:
        raise ValidationError(_("The decision is confirmed and locked; staff must reopen it before changes."))
    allowed = set(decision_candidates(by, cycle).values_list("pk", flat=True))
    errors = []
    for entry in entries:
        if entry.nomination.pk not in allowed or entry.nomination.cycle_id != cycle.pk:
            raise PermissionDenied
        if entry.result not in DecisionEntry.Result.values:
            errors.append(_("Unknown result for %(name)s.") % {"name": entry.nomination.name})
        if not entry.citation_fi.strip():
            errors.append(_("%(name)s: the citation in Finnish is required.") % {"name": entry.nomination.name})
    if errors:
        raise ValidationError(errors)
    chosen = {entry.nomination.pk for entry in entries}
    decision.entries.filter(nomination_id__in=allowed - chosen).delete()
    # Entries of nominations withdrawn or marked ineligible since they were named can have no result: they go.
    removed = [e.nomination_id for e in out_of_competition(decision.entries.select_related("nomination"))]
    decision.entries.filter(nomination_id__in=removed).delete()
    for entry in entries:
        DecisionEntry.objects.update_or_create(
            decision=decision,
            nomination=entry.nomination,
            defaults=dict(
                result=entry.result,
                citation_fi=entry.citation_fi.strip(),
                citation_sv=entry.citation_sv.strip(),
                citation_en=entry.citation_en.strip(),
                order=entry.order,
                panel_note=entry.panel_note.strip(),
            ),
        )
    decision.save()  # touches updated_at, which the public pages' caches key on
    audit(
        "decision.saved",
        actor=by,
        target=decision,
        request=request,
        entries=[{"nomination": e.nomination.pk, "result": e.result} for e in entries],
        removed_out_of_competition=removed,
    )
    return decision


@transaction.atomic
def decision_confirm(*, decision: Decision, by: User, close_jury: bool = False, request=None) -> Decision:
    """Confirm the draft decision: it is locked from now on, and the cycle is decided.

    Confirming ends the jury's scoring, so it is never done silently while jurors may still change reviews: an
    open jury period must be closed first, or `close_jury` (the user saw the warning of what is unfinished) closes
    it here, in the same transaction."""
    require("record_decision", by, decision.cycle)
    cycle = AwardCycle.objects.locked(decision.cycle)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.state == Decision.State.CONFIRMED:
        raise ValidationError(_("The decision is already confirmed."))
    if cycle.state not in DECISION_STATES:
        raise ValidationError(_("The decision can be confirmed only after the jury's scoring has begun."))
    problems = decision_problems(decision)
    if problems:
        raise ValidationError(problems)
    if cycle.is_jury_open():
        if not close_jury:
            raise ValidationError(
                _("The jury period is still open: close it first, or confirm that it closes with the decision."),
                code="jury_open",
            )
        jury_period_close(cycle=cycle, by=by, request=request)
        cycle.refresh_from_db()
    decision.state = Decision.State.CONFIRMED
    decision.confirmed_at = timezone.now()
    decision.confirmed_by = by
    decision.save()
    cycle.state = AwardCycle.State.DECIDED
    cycle.save(update_fields=["state", "updated_at"])
    audit(
        "decision.confirmed",
        actor=by,
        target=decision,
        request=request,
        entries=list(decision.entries.values("nomination_id", "result")),
    )
    return decision


@transaction.atomic
def decision_reopen(*, decision: Decision, by: User, reason: str, request=None) -> Decision:
    """Staff reopen a confirmed decision (recorded with the reason). Not while the result is published."""
    require("publish_results", by, decision.cycle)
    cycle = AwardCycle.objects.locked(decision.cycle)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.state != Decision.State.CONFIRMED:
        raise ValidationError(_("Only a confirmed decision can be reopened."))
    if cycle.state == AwardCycle.State.PUBLISHED:
        raise ValidationError(_("The result is published or scheduled; withdraw the publication first."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    DecisionReopening.objects.create(decision=decision, reopened_by=by, reason=reason.strip())
    decision.state = Decision.State.DRAFT
    decision.confirmed_at = None
    decision.confirmed_by = None
    decision.save()
    audit("decision.reopened", actor=by, target=decision, request=request, reason=reason.strip())
    return decision
