"""Every write of jury work: reviews and scores, conflicts, assignments, closing the jury period, reminders.

Each service owns its transaction, re-checks the rules it depends on at the moment of the action (the jury period,
the juror's access to the nomination), locks the rows people race on, and writes the audit entry.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.audit import audit
from accounts.models import User
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
from awards.rules import require
from awards.selectors.jury import (
    assigned_nominations,
    conflicted_nominations,
    jury_close_summary,
    jury_nominations,
    review_change_refusal,
    review_tally_columns,
    unfinished_count,
)
from background import outbox


def jury_member_add(*, cycle: AwardCycle, user: User, role: str = JuryMembership.Role.JUROR) -> JuryMembership:
    """Seat `user` on the jury of `cycle` as a juror or the chair (an accepted invitation does this). Audited by
    awards/signals.py on the membership row."""
    if role not in JuryMembership.Role.values:
        raise ValueError(role)
    membership, _created = JuryMembership.objects.update_or_create(user=user, cycle=cycle, defaults={"role": role})
    return membership


def reviews_tally_refresh(*, reviews=None) -> int:
    """Write the columns on which a review stores its scores for the ranking (awards.selectors.jury.
    review_tally_columns) for `reviews` (a queryset; all of them by default), in the caller's transaction. Called
    by the receivers of awards/review_tallies.py on a new review, every save of a score and every save and delete
    of a criterion, and by the command refresh_review_tallies after bulk writes that send no signals. Returns the
    number of reviews written."""
    # Locked, then computed in a statement of its own (write_stored): two people changing two scores of one review
    # at once would otherwise each write a tally without the other's score.
    return Review.write_stored(Review.objects.all() if reviews is None else reviews, review_tally_columns())


# Lengths of the jury's texts: a review is read by people, and each save is audited with its old and new text.
OVERALL_COMMENT_MAX = 5000
SCORE_COMMENT_MAX = 2000
ABSTAIN_REASON_MAX = 1000
CONFLICT_REASON_MAX = 2000


class StaleReview(Exception):  # noqa: N818 (it names the situation, as Django's own exceptions do)
    """The review changed (another tab or window) since the form was loaded; nothing was saved."""

    def __init__(self, review: Review):
        super().__init__("The review was changed elsewhere.")
        self.review = review


@dataclass
class ScoreInput:
    value: int | None
    comment: str = ""


def _locked_cycle(cycle: AwardCycle) -> AwardCycle:
    # NO KEY UPDATE: saves of reviews queue behind closing the period, and the period state read is current.
    return AwardCycle.objects.select_for_update(no_key=True).get(pk=cycle.pk)


def _require_jury_open(cycle: AwardCycle) -> None:
    if not cycle.is_jury_open():
        raise ValidationError(_("The jury period is closed; reviews can no longer be changed."), code="jury_closed")


def _review_errors(
    criteria, scores, *, abstain: bool, abstain_reason: str, submit: bool, overall_comment: str = ""
) -> dict:
    errors = {}
    for criterion in criteria:
        given = scores.get(criterion.pk)
        value = given.value if given else None
        if value is not None and not criterion.scale_min <= value <= criterion.scale_max:
            errors[f"score_{criterion.pk}"] = _("Give a score from %(min)s to %(max)s.") % {
                "min": criterion.scale_min,
                "max": criterion.scale_max,
            }
        elif value is None and submit and not abstain:
            errors[f"score_{criterion.pk}"] = _("Score this criterion before submitting, or abstain.")
    if abstain and not abstain_reason.strip():
        errors["abstain_reason"] = _("Tell briefly why you abstain.")
    too_long = _("At most %(max)d characters; this has %(count)d.")
    for criterion in criteria:
        comment = (scores.get(criterion.pk) or ScoreInput(value=None)).comment or ""
        if len(comment) > SCORE_COMMENT_MAX:
            errors[f"comment_{criterion.pk}"] = too_long % {"max": SCORE_COMMENT_MAX, "count": len(comment)}
    if len(overall_comment) > OVERALL_COMMENT_MAX:
        errors["overall_comment"] = too_long % {"max": OVERALL_COMMENT_MAX, "count": len(overall_comment)}
    if len(abstain_reason) > ABSTAIN_REASON_MAX:
        errors["abstain_reason"] = too_long % {"max": ABSTAIN_REASON_MAX, "count": len(abstain_reason)}
    return errors


def _write_scores(review: Review, criteria, scores: dict[int, ScoreInput], *, juror, request) -> int:
    """Write the changed scores, each audited with its old and new value and comment; returns how many changed."""
    existing = {s.criterion_id: s for s in review.scores.select_for_update()}
    changed = 0
    for criterion in criteria:
        given = scores.get(criterion.pk) or ScoreInput(value=None)
        comment = (given.comment or "").strip()
        score = existing.get(criterion.pk)
        old_value, old_comment = (score.value, score.comment) if score else (None, "")
        if (old_value, old_comment) == (given.value, comment):
            continue
        if score is None:
            score = Score(review=review, criterion=criterion)
        score.value = given.value
        score.comment = comment
        score.scale_min, score.scale_max = criterion.scale_min, criterion.scale_max
        score.save()
        changed += 1
        audit(
            "review.score_changed",
            actor=juror,
            target=review,
            request=request,
            nomination=review.nomination_id,
            criterion=criterion.pk,
            old_value=old_value,
            new_value=given.value,
            old_comment=old_comment,
            new_comment=comment,
        )
    return changed


def review_save(
    *,
    juror,
    nomination: Nomination,
    version: int,
    scores: dict[int, ScoreInput],
    overall_comment: str = "",
    abstain: bool = False,
    abstain_reason: str = "",
    submit: bool = False,
    request=None,
) -> Review:
    """Save the juror's draft review of the nomination and, with submit, submit it.

    `version` is the review version the juror's form was based on (0 before the first save); a different current
    version raises StaleReview and saves nothing. Raises ValidationError for a closed period, a submitted review,
    a score outside its scale or an incomplete submission. Every changed score and the submission are audited.
    """
    with transaction.atomic():
        cycle = _locked_cycle(nomination.cycle)
        _require_jury_open(cycle)
        if not assigned_nominations(juror, cycle).filter(pk=nomination.pk).exists():
            raise Nomination.DoesNotExist
        review, _created = Review.objects.get_or_create(juror=juror, nomination=nomination)
        review = Review.objects.select_for_update().get(pk=review.pk)
        if review.version != version:
            raise StaleReview(review)
        if review.is_submitted:
            raise ValidationError(_("This review is already submitted. Reopen it to change it."), code="submitted")

        criteria = list(Criterion.objects.filter(cycle=cycle).order_by("order", "pk"))
        errors = _review_errors(
            criteria,
            scores,
            abstain=abstain,
            abstain_reason=abstain_reason,
            submit=submit,
            overall_comment=overall_comment,
        )
        if errors:
            raise ValidationError(errors)
        scores_changed = _write_scores(review, criteria, scores, juror=juror, request=request)

        changes = {}
        for name, value in (
            ("overall_comment", overall_comment.strip()),
            ("abstain", abstain),
            ("abstain_reason", abstain_reason.strip() if abstain else ""),
        ):
            if getattr(review, name) != value:
                changes[name] = {"old": getattr(review, name), "new": value}
                setattr(review, name, value)
        if changes:
            audit("review.changed", actor=juror, target=review, request=request, nomination=nomination.pk, **changes)
        if (scores_changed or changes) and review.others_seen_at is not None:
            refusal = review_change_refusal(review, cycle)
            if refusal:
                raise ValidationError(refusal, code="seen_others")
            # Allowed by the cycle, but the ranking and the export say so.
            review.changed_after_seeing_at = timezone.now()
            audit("review.changed_after_seeing", actor=juror, target=review, request=request, nomination=nomination.pk)
        if submit:
            now = timezone.now()
            review.state = Review.State.SUBMITTED
            review.submitted_at = now
            review.first_submitted_at = review.first_submitted_at or now
        review.version += 1
        review.save()
        if submit:
            audit(
                "review.submitted",
                actor=juror,
                target=review,
                request=request,
                nomination=nomination.pk,
                abstain=review.abstain,
                scores={str(s.criterion_id): s.value for s in review.scores.all()},
            )
        return review


def review_reopen(*, juror, review: Review, request=None) -> Review:
    """The juror takes their submitted review back to a draft, while the jury period is open."""
    with transaction.atomic():
        cycle = _locked_cycle(review.nomination.cycle)
        _require_jury_open(cycle)
        review = Review.objects.select_for_update().get(pk=review.pk)
        if review.juror_id != juror.pk or not jury_nominations(juror).filter(pk=review.nomination_id).exists():
            raise Review.DoesNotExist
        if not review.is_submitted:
            return review
        refusal = review_change_refusal(review, cycle)
        if refusal:
            raise ValidationError(refusal, code="seen_others")
        review.state = Review.State.DRAFT
        review.submitted_at = None
        review.version += 1
        review.save()
        audit("review.reopened", actor=juror, target=review, request=request, nomination=review.nomination_id)
        return review


def others_scores_shown(*, viewer, nomination_ids, request=None) -> int:
    """Record, at the moment they are shown, that `viewer` has seen other jurors' scores of these nominations (their
    review page, or the ranking): each of the viewer's own reviews of them is marked once, so that a later change
    is marked or, where the cycle forbids it, refused. Only nominations with another juror's submitted review count:
    an empty table shows nothing. Returns how many reviews were marked."""
    others = Review.objects.filter(nomination_id=OuterRef("nomination_id"), state=Review.State.SUBMITTED).exclude(
        juror=viewer
    )
    marked = (
        Review.objects.filter(juror=viewer, nomination_id__in=list(nomination_ids), others_seen_at__isnull=True)
        .filter(Exists(others))
        .update(others_seen_at=timezone.now())
    )
    if marked:
        audit("review.others_seen", actor=viewer, request=request, reviews=marked)
    return marked


def _void_review_for_conflict(*, juror, nomination, by, request) -> None:
    """A juror in conflict no longer counts: their submitted review returns to a draft (kept, in case the
    conflict is lifted), so it leaves the ranking."""
    review = Review.objects.select_for_update().filter(juror=juror, nomination=nomination).first()
    if review is not None and review.is_submitted:
        review.state = Review.State.DRAFT
        review.submitted_at = None
        review.version += 1
        review.save()
        audit("review.voided_by_conflict", actor=by, target=review, request=request, nomination=nomination.pk)


def conflict_declare(*, juror, nomination: Nomination, reason: str, request=None) -> ConflictOfInterest:
    """The juror declares a conflict with a nomination that reaches them; it disappears from their views."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Tell briefly what the conflict is.")})
    if len(reason) > CONFLICT_REASON_MAX:
        raise ValidationError({"reason": _("At most %(max)d characters, please.") % {"max": CONFLICT_REASON_MAX}})
    with transaction.atomic():
        # The cycle's row first: two declarations at once (a double click) queue here, and the second finds the
        # first one's conflict instead of failing on the unique constraint.
        cycle = _locked_cycle(nomination.cycle)
        existing = ConflictOfInterest.objects.filter(user=juror, nomination=nomination, lifted_at__isnull=True).first()
        if existing is not None:
            return existing
        if not jury_nominations(juror).filter(pk=nomination.pk).exists():
            raise Nomination.DoesNotExist
        if not cycle.is_jury_open():
            # Declaring would withdraw a review after the period closed; staff record it (and it is audited).
            raise ValidationError(
                {"reason": _("The jury period is closed. Tell the organisers about the conflict; they record it.")}
            )
        try:
            with transaction.atomic():
                conflict = ConflictOfInterest.objects.create(
                    user=juror,
                    nomination=nomination,
                    source=ConflictOfInterest.Source.DECLARED,
                    reason=reason,
                    created_by=juror,
                )
        except IntegrityError:  # recorded by staff at the same moment
            return ConflictOfInterest.objects.get(user=juror, nomination=nomination, lifted_at__isnull=True)
        _void_review_for_conflict(juror=juror, nomination=nomination, by=juror, request=request)
        audit("conflict.declared", actor=juror, target=conflict, request=request, nomination=nomination.pk)
        return conflict


def conflict_add(*, by, juror, nomination: Nomination, reason: str, request=None) -> ConflictOfInterest:
    """Staff record a conflict between a jury member of the nomination's cycle and the nomination."""
    require("manage_cycle", by, nomination.cycle)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Record the reason for the conflict.")})
    with transaction.atomic():
        _locked_cycle(nomination.cycle)
        if not JuryMembership.objects.filter(cycle_id=nomination.cycle_id, user=juror).exists():
            raise ValidationError({"juror": _("This person is not on the jury of this cycle.")})
        already = ValidationError({"nomination": _("This conflict is already recorded.")})
        if ConflictOfInterest.objects.filter(user=juror, nomination=nomination, lifted_at__isnull=True).exists():
            raise already
        try:
            with transaction.atomic():
                conflict = ConflictOfInterest.objects.create(
                    user=juror,
                    nomination=nomination,
                    source=ConflictOfInterest.Source.STAFF,
                    reason=reason,
                    created_by=by,
                )
        except IntegrityError as exc:
            raise already from exc
        _void_review_for_conflict(juror=juror, nomination=nomination, by=by, request=request)
        audit(
            "conflict.added",
            actor=by,
            target=conflict,
            request=request,
            juror=juror.pk,
            nomination=nomination.pk,
            reason=reason,
        )
        return conflict


def conflict_lift(*, by, conflict: ConflictOfInterest, reason: str, request=None) -> ConflictOfInterest:
    """Staff lift a declared or staff-added conflict, with a recorded reason. Conflicts through the juror's own
    organisation are computed and cannot be lifted."""
    require("manage_cycle", by, conflict.nomination.cycle)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"lift_reason": _("Record why the conflict is lifted.")})
    with transaction.atomic():
        conflict = ConflictOfInterest.objects.select_for_update().get(pk=conflict.pk)
        if conflict.lifted_at is not None:
            return conflict
        conflict.lifted_at = timezone.now()
        conflict.lifted_by = by
        conflict.lift_reason = reason
        conflict.save()
        audit(
            "conflict.lifted",
            actor=by,
            target=conflict,
            request=request,
            juror=conflict.user_id,
            nomination=conflict.nomination_id,
            reason=reason,
        )
        return conflict


def jury_period_close(*, cycle: AwardCycle, by, request=None) -> AwardCycle:
    """Staff or the chair close the jury period, its own explicit step: from now on no review changes until staff
    reopen it. The audit entry keeps how many reviews were unfinished at that moment."""
    require("close_jury_period", by, cycle)
    with transaction.atomic():
        cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.jury_closed_at is not None:
            return cycle
        summary = jury_close_summary(by, cycle)
        cycle.jury_closed_at = timezone.now()
        cycle.jury_closed_by = by
        cycle.save(update_fields=["jury_closed_at", "jury_closed_by", "updated_at"])
        audit(
            "jury.closed",
            actor=by,
            target=cycle,
            request=request,
            unfinished_reviews=summary.unfinished_reviews,
            under_quorum=len(summary.under_quorum) + summary.hidden_under_quorum,
        )
        return cycle


def jury_period_reopen(
    *, cycle: AwardCycle, by, reason: str, closes_at: datetime | None = None, request=None
) -> AwardCycle:
    """Staff reopen the jury period with a recorded reason; a new closing time is needed when the old one passed."""
    require("manage_cycle", by, cycle)
    reason = reason.strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Record why the jury period is reopened.")
    now = timezone.now()
    if closes_at is not None and closes_at <= now:
        errors["closes_at"] = _("The new closing time must be in the future.")
    with transaction.atomic():
        cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.state != AwardCycle.State.SCORING:
            errors["__all__"] = _("The cycle is not in jury scoring.")
        if closes_at is None and cycle.jury_closes_at is not None and cycle.jury_closes_at <= now:
            errors["closes_at"] = _("The closing time has passed; give a new one.")
        if errors:
            raise ValidationError(errors)
        old = {
            "closed_at": cycle.jury_closed_at.isoformat() if cycle.jury_closed_at else None,
            "closes_at": cycle.jury_closes_at.isoformat() if cycle.jury_closes_at else None,
        }
        cycle.jury_closed_at = None
        cycle.jury_closed_by = None
        if closes_at is not None:
            cycle.jury_closes_at = closes_at
        cycle.save(update_fields=["jury_closed_at", "jury_closed_by", "jury_closes_at", "updated_at"])
        audit(
            "jury.reopened",
            actor=by,
            target=cycle,
            request=request,
            reason=reason,
            old=old,
            new_closes_at=cycle.jury_closes_at.isoformat() if cycle.jury_closes_at else None,
        )
        return cycle


def _jurors(cycle: AwardCycle):
    return User.objects.filter(jury_memberships__cycle=cycle, is_active=True).order_by("pk")


def assignments_all(*, cycle: AwardCycle, by, request=None) -> AwardCycle:
    """Every juror reviews every eligible nomination (the default)."""
    require("manage_cycle", by, cycle)
    with transaction.atomic():
        cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
        _require_jury_not_closed(cycle)
        cycle.jury_assignment = AwardCycle.JuryAssignment.ALL
        cycle.save(update_fields=["jury_assignment", "updated_at"])
        Assignment.objects.filter(nomination__cycle=cycle).delete()
        audit("jury.assignment_all", actor=by, target=cycle, request=request)
        return cycle


def _require_jury_not_closed(cycle: AwardCycle) -> None:
    if cycle.jury_closed_at is not None or cycle.state not in (AwardCycle.State.CLOSED, AwardCycle.State.SCORING):
        raise ValidationError(_("Assignments can change only before and during the jury period."))


@dataclass
class AssignmentResult:
    per_juror: dict[int, int]
    short: list[int]  # nominations that got fewer jurors than asked, for want of jurors free of conflict


def assignments_balance(*, cycle: AwardCycle, per_nomination: int, by, request=None) -> AssignmentResult:
    """Give each eligible nomination `per_nomination` jurors, never a conflicted one, balancing the load: each
    nomination goes to the jurors who have least so far. A juror who has already started a review of a nomination
    keeps it."""
    require("manage_cycle", by, cycle)
    if per_nomination < 1:
        raise ValidationError({"per_nomination": _("Give at least one juror per nomination.")})
    with transaction.atomic():
        cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
        _require_jury_not_closed(cycle)
        jurors = list(_jurors(cycle))
        nominations = list(
            Nomination.objects.filter(cycle=cycle, state=Nomination.State.SUBMITTED)
            .exclude(eligibility=Nomination.Eligibility.INELIGIBLE)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        conflicted = {
            j.pk: set(conflicted_nominations(j).filter(cycle=cycle).values_list("pk", flat=True)) for j in jurors
        }
        started = defaultdict(set)
        for juror_id, nomination_id in Review.objects.filter(nomination__cycle=cycle).values_list(
            "juror_id", "nomination_id"
        ):
            started[nomination_id].add(juror_id)
        load = {j.pk: 0 for j in jurors}
        chosen: list[tuple[int, int]] = []
        short = []
        for nomination_id in nominations:
            free = [j for j in load if nomination_id not in conflicted[j]]
            keep = [j for j in free if j in started[nomination_id]]
            rest = sorted((j for j in free if j not in keep), key=lambda j: (load[j], (j * 7919 + nomination_id) % 97))
            picked = (keep + rest)[: max(per_nomination, len(keep))]
            if len(picked) < per_nomination:
                short.append(nomination_id)
            for juror_id in picked:
                load[juror_id] += 1
                chosen.append((nomination_id, juror_id))
        Assignment.objects.filter(nomination__cycle=cycle).delete()
        Assignment.objects.bulk_create(Assignment(nomination_id=n, juror_id=j) for n, j in chosen)
        cycle.jury_assignment = AwardCycle.JuryAssignment.SELECTED
        cycle.save(update_fields=["jury_assignment", "updated_at"])
        audit(
            "jury.assignment_balanced",
            actor=by,
            target=cycle,
            request=request,
            per_nomination=per_nomination,
            assignments=len(chosen),
            short=short,
        )
        return AssignmentResult(per_juror=load, short=short)


def _remind_juror(*, cycle: AwardCycle, juror, count: int, key: str) -> None:
    """Queue one reminder: a count only, no names, so no conflicted nomination can leak."""
    language = juror.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        url = settings.SITE_URL + reverse("awards:jury_worklist", args=[cycle.year])
        subject = _("Reminder: reviews waiting for you – %(cycle)s") % {"cycle": cycle}
        body = ngettext(
            "Hello,\n\nyou have %(count)d nomination left to review in %(cycle)s.",
            "Hello,\n\nyou have %(count)d nominations left to review in %(cycle)s.",
            count,
        ) % {"count": count, "cycle": cycle}
        if cycle.jury_closes_at:
            body += "\n" + _("The jury period closes on %(when)s.") % {
                "when": date_format(timezone.localtime(cycle.jury_closes_at), "SHORT_DATETIME_FORMAT")
            }
        body += "\n\n" + _("Your reviews: %(url)s") % {"url": url}
    outbox.send(
        to=juror.email,
        purpose="jury_reminder",
        key=key,
        language=language,
        subject=subject,
        text=body,
        recipient=juror,
        about=cycle,
    )


def jury_send_reminders(*, cycle: AwardCycle, by, request=None) -> dict:
    """E-mail every juror with unfinished reviews how many are left (a count only: no names, so no conflicted
    nomination can leak). Returns {juror: count} of those reminded."""
    require("manage_cycle", by, cycle)
    with transaction.atomic():
        cycle = AwardCycle.objects.get(pk=cycle.pk)  # the state now, not when the page was drawn
        if not cycle.is_jury_open():
            raise ValidationError(_("The jury period is not open; there is nothing to remind about."))
        reminded = {}
        sent_at = timezone.now().isoformat()
        for juror in _jurors(cycle):
            count = unfinished_count(juror, cycle)
            if not count:
                continue
            _remind_juror(cycle=cycle, juror=juror, count=count, key=f"{cycle.pk}:{juror.pk}:{sent_at}")
            reminded[juror] = count
        audit(
            "jury.reminders_sent",
            actor=by,
            target=cycle,
            request=request,
            jurors=[j.pk for j in reminded],
            counts=[reminded[j] for j in reminded],
        )
    return reminded


# Automatic reminders this long before the jury period closes (the keys make each go out once per juror).
JURY_REMINDERS_BEFORE_CLOSE = {"7d": timedelta(days=7), "1d": timedelta(days=1)}


def jury_reminders_send_due(now: datetime) -> int:
    """Due work (background/schedule.py): remind jurors with unfinished reviews 7 days and 1 day before the jury
    period closes. A reminder whose moment passed while no worker ran still goes, unless the period has closed."""
    count = 0
    horizon = max(JURY_REMINDERS_BEFORE_CLOSE.values())
    cycles = AwardCycle.objects.filter(
        state=AwardCycle.State.SCORING,
        jury_closed_at__isnull=True,
        jury_closes_at__gt=now,
        jury_closes_at__lte=now + horizon,
    ).select_related("award")
    for cycle in cycles:
        if not cycle.is_jury_open(now):
            continue
        due = [name for name, before in JURY_REMINDERS_BEFORE_CLOSE.items() if cycle.jury_closes_at - before <= now]
        # Only the nearest: a juror reminded a day before does not also get the week's reminder late.
        name = min(due, key=lambda n: JURY_REMINDERS_BEFORE_CLOSE[n])
        for juror in _jurors(cycle):
            left = unfinished_count(juror, cycle)
            if left:
                _remind_juror(cycle=cycle, juror=juror, count=left, key=f"{cycle.pk}:{juror.pk}:before-close:{name}")
                count += 1
    return count


def jury_scores_exported(*, cycle: AwardCycle, by, fmt: str, request=None) -> None:
    """Record that staff exported the cycle's scores (the export itself is a read)."""
    require("manage_cycle", by, cycle)
    audit("jury.scores_exported", actor=by, target=cycle, request=request, format=fmt)
