"""Services of award cycles: moving a cycle through its states and copying last year's cycle."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.audit import audit
from awards.models import AwardCycle, Criterion
from awards.rules import require
from awards.selectors.nominations import running_extensions

State = AwardCycle.State

# The transitions staff make on the nomination side; the jury and publication areas add their own.
TRANSITIONS: dict[str, set[str]] = {
    State.DRAFT: {State.OPEN},
    State.OPEN: {State.CLOSED, State.DRAFT},
    State.CLOSED: {State.SCORING, State.OPEN},
}

COPIED_FIELDS = [
    "occasion_fi",
    "occasion_sv",
    "occasion_en",
    "prize_fi",
    "prize_sv",
    "prize_en",
    "eligibility_fi",
    "eligibility_sv",
    "eligibility_en",
    "score_visibility",
    "chair_scores",
    "no_changes_after_seeing_scores",
    "conflicts_include_area",
    "list_all_nominees",
]
CRITERION_FIELDS = [
    "order",
    "name_fi",
    "name_sv",
    "name_en",
    "guidance_fi",
    "guidance_sv",
    "guidance_en",
    "weight",
    "scale_min",
    "scale_max",
]


def allowed_transitions(cycle: AwardCycle) -> list[str]:
    return [state for state in State.values if state in TRANSITIONS.get(cycle.state, set())]


def _check_can_open(cycle: AwardCycle) -> None:
    if cycle.nominations_open_at is None or cycle.nominations_close_at is None:
        raise ValidationError(_("Set the nomination period before opening the cycle."), code="no_period")
    if not cycle.criteria.exists():
        raise ValidationError(_("Add the criteria before opening the cycle."), code="no_criteria")


# Moving to these states ends every running deadline extension (a nomination is changeable only while the cycle is
# open, or closed with its extension running).
ENDS_EXTENSIONS = {State.SCORING, State.DRAFT}


def cycle_transition(
    *,
    cycle: AwardCycle,
    to_state: str,
    by,
    expected_state: str | None = None,
    end_running_extensions: bool = False,
    request=None,
):
    """Move `cycle` to `to_state`. `expected_state` is the state the staff member saw: when someone else moved
    the cycle meanwhile, the action is refused rather than applied to a state nobody looked at. A move that would
    cut deadline extensions short is refused unless `end_running_extensions` says staff mean it (audited)."""
    require("manage_cycle", by, cycle)
    with transaction.atomic():
        locked = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
        if expected_state is not None and locked.state != expected_state:
            raise ValidationError(
                _("The cycle is now “%(state)s”; someone changed it meanwhile. Check and try again."),
                code="stale",
                params={"state": locked.get_state_display()},
            )
        if to_state not in TRANSITIONS.get(locked.state, set()):
            raise ValidationError(
                _("A cycle cannot move from “%(from)s” to “%(to)s”."),
                code="transition",
                params={"from": locked.get_state_display(), "to": State(to_state).label},
            )
        if to_state == State.OPEN:
            _check_can_open(locked)
        ended = []
        if to_state in ENDS_EXTENSIONS:
            running = list(running_extensions(locked))
            if running and not end_running_extensions:
                latest = max(e.until for e in running)
                raise ValidationError(
                    ngettext(
                        "%(count)d nomination still has a deadline extension running, until %(until)s. Moving the "
                        "cycle to “%(to)s” ends it now: confirm that you mean it.",
                        "%(count)d nominations still have a deadline extension running, the last until %(until)s. "
                        "Moving the cycle to “%(to)s” ends them now: confirm that you mean it.",
                        len(running),
                    ),
                    code="extensions_running",
                    params={
                        "count": len(running),
                        "until": date_format(timezone.localtime(latest), "SHORT_DATETIME_FORMAT"),
                        "to": State(to_state).label,
                    },
                )
            ended = [e.nomination_id for e in running]
        previous = locked.state
        locked.state = to_state
        locked.save(update_fields=["state", "updated_at"])
        audit(
            "cycle.transition",
            actor=by,
            target=locked,
            request=request,
            previous=previous,
            state=to_state,
            **({"ended_extensions": ended} if ended else {}),
        )
    return locked


def _shift_year(value: datetime | None, years: int):
    if value is None:
        return None
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February into a common year
        return value.replace(year=value.year + years, day=28)


def cycle_copy(*, source: AwardCycle, year: int, by, request=None) -> AwardCycle:
    """A new draft cycle for `year` with the texts, settings and criteria of `source`; dates move by the years
    between them, so staff only adjust what differs."""
    require("manage_cycle", by, source)
    years = year - source.year
    with transaction.atomic():
        if AwardCycle.objects.filter(award=source.award, year=year).exists():
            raise ValidationError(_("A cycle for %(year)s already exists."), code="exists", params={"year": year})
        new = AwardCycle(award=source.award, year=year, state=State.DRAFT)
        for field in COPIED_FIELDS:
            setattr(new, field, getattr(source, field))
        for field in ["nominations_open_at", "nominations_close_at", "jury_opens_at", "jury_closes_at"]:
            setattr(new, field, _shift_year(getattr(source, field), years))
        new.announcement_on = _shift_year(source.announcement_on, years)
        try:
            with transaction.atomic():
                new.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("A cycle for %(year)s already exists."), code="exists", params={"year": year}
            ) from exc
        Criterion.objects.bulk_create(
            Criterion(cycle=new, **{field: getattr(criterion, field) for field in CRITERION_FIELDS})
            for criterion in source.criteria.all()
        )
        audit("cycle.copied", actor=by, target=new, request=request, source=source.pk)
    return new
