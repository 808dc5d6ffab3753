"""Every write of the follow-up of winners: the timed sending of the follow-up forms (one and three years after a
cycle's results were published), the awarded organisation's answer, reminders, and staff's approval.

followups_send_due(now) is idempotent: a follow-up is recorded (one row per organisation, practice and milestone,
kept so by a unique constraint) before its e-mail counts as sent, and a row once sent is never sent again, however
often or in however many processes it runs. The task queue's timed work runs it (registered in awards/apps.py).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import audit
from awards.mail import send_templated
from awards.models import AwardCycle, DecisionEntry, FollowUp
from awards.selectors.publication import nomination_recipients

MILESTONES = (FollowUp.Milestone.ONE_YEAR, FollowUp.Milestone.THREE_YEARS)
AWARDED = (DecisionEntry.Result.WINNER, DecisionEntry.Result.HONOURABLE_MENTION)
# A milestone further back than this is not asked about any more (old years loaded from the history).
GRACE = timedelta(days=90)
ANSWER_SALT = "awards.followup.answer"
ANSWER_VALID_FOR = timedelta(days=180)
MAX_TEXT = 3000


class FollowUpLinkError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def anniversary(moment: datetime, years: int) -> datetime:
    """The same moment `years` later; 29 February becomes 1 March in a year that has no leap day."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, month=3, day=1)


def answer_link(followup: FollowUp) -> str:
    token = signing.dumps(followup.pk, salt=ANSWER_SALT)
    with translation.override(followup.language):
        return settings.SITE_URL + reverse("awards:followup_answer", kwargs={"token": token})


def followup_email_send(*, followup: FollowUp, to: list[str], link: str, reminder: bool = False) -> None:
    """The follow-up form's e-mail to the organisation's nominators, in the follow-up's language."""
    occasion = f"reminded:{followup.reminded_at.isoformat()}" if reminder and followup.reminded_at else "sent"
    send_templated(
        to=to,
        language=followup.language,
        template="awards/followup/email/request",
        context={"followup": followup, "link": link, "reminder": reminder},
        purpose="followup",
        key=f"{followup.pk}:{occasion}",
        about=followup.cycle,
    )


def _record_due(now: datetime) -> int:
    """Record every follow-up whose milestone has come (and is within GRACE); existing ones are left as they are."""
    recorded = 0
    for cycle in AwardCycle.objects.results_public(now):
        entries = None
        for milestone in MILESTONES:
            due = anniversary(cycle.results_published_at, milestone)
            if not due <= now < due + GRACE:
                continue
            if entries is None:
                entries = list(
                    DecisionEntry.objects.filter(
                        decision__cycle=cycle,
                        decision__state="confirmed",
                        result__in=AWARDED,
                        nomination__organisation__isnull=False,
                    ).select_related("nomination")
                )
            rows = [
                FollowUp(
                    cycle=cycle,
                    nomination=entry.nomination,
                    organisation_id=entry.nomination.organisation_id,
                    practice_id=entry.nomination.practice_id,
                    milestone=milestone,
                    language=entry.nomination.language or settings.LANGUAGE_CODE,
                    due_at=due,
                )
                for entry in entries
            ]
            recorded += len(FollowUp.objects.bulk_create(rows, ignore_conflicts=True))
    return recorded


def followups_send_due(now: datetime | None = None) -> int:
    """Record the follow-ups that are due and send each recorded, unsent one once; returns how many were sent."""
    now = now or timezone.now()
    _record_due(now)
    sent = 0
    for pk in FollowUp.objects.filter(sent_at__isnull=True, due_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            # Another process sending at the same time skips the row it holds; a row sent meanwhile is skipped.
            followup = (
                FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("nomination__organisation", "nomination__created_by", "practice", "cycle")
                .filter(pk=pk, sent_at__isnull=True)
                .first()
            )
            if followup is None:
                continue
            recipients = [user.email for user in nomination_recipients(followup.nomination)]
            followup.sent_at = now
            followup.recipients = len(recipients)
            followup.save(update_fields=["sent_at", "recipients"])
            audit("followup.sent", target=followup, milestone=followup.milestone, recipients=len(recipients))
            if recipients:
                link = answer_link(followup)
                followup_email_send(followup=followup, to=recipients, link=link)
            sent += 1
    return sent


def followup_remind(*, followup: FollowUp, by, request=None) -> int:
    """Staff send the form again to a follow-up still waiting for its answer."""
    if not (by.is_authenticated and by.is_active and by.is_staff):
        raise PermissionDenied
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().select_related("nomination").get(pk=followup.pk)
        if locked.state != FollowUp.State.WAITING or locked.sent_at is None:
            raise ValidationError(_("Only a follow-up that has been sent and not answered can be reminded of."))
        recipients = [user.email for user in nomination_recipients(locked.nomination)]
        if not recipients:
            raise ValidationError(_("The organisation has no nominators left to ask."))
        locked.reminded_at = timezone.now()
        locked.save(update_fields=["reminded_at"])
        audit("followup.reminded", actor=by, target=locked, request=request, recipients=len(recipients))
        link = answer_link(locked)
        followup_email_send(followup=locked, to=recipients, link=link, reminder=True)
    return len(recipients)


def followup_for_token(token: str) -> FollowUp:
    try:
        pk = signing.loads(token, salt=ANSWER_SALT, max_age=ANSWER_VALID_FOR)
    except signing.SignatureExpired as exc:
        raise FollowUpLinkError("expired") from exc
    except signing.BadSignature as exc:
        raise FollowUpLinkError("unknown") from exc
    followup = FollowUp.objects.select_related("organisation", "practice", "cycle", "nomination").filter(pk=pk).first()
    if followup is None:
        raise FollowUpLinkError("unknown")
    if followup.state != FollowUp.State.WAITING:
        raise FollowUpLinkError("answered")
    return followup


def followup_answer(*, token: str, data: dict, request=None) -> FollowUp:
    """The organisation's answer through the e-mailed link; it waits for staff before anything is public."""
    with transaction.atomic():
        followup = followup_for_token(token)
        locked = FollowUp.objects.select_for_update().get(pk=followup.pk)
        if locked.state != FollowUp.State.WAITING:
            raise FollowUpLinkError("answered")
        if data.get("still_running") not in FollowUp.Running.values:
            raise ValidationError({"still_running": _("Tell whether the practice is still running.")})
        locked.still_running = data["still_running"]
        for field in ("spread", "changes", "evaluation"):
            setattr(locked, field, (data.get(field) or "").strip()[:MAX_TEXT])
        locked.answered_by = (data.get("answered_by") or "").strip()[:150]
        locked.answered_at = timezone.now()
        locked.state = FollowUp.State.ANSWERED
        locked.save()
        audit("followup.answered", target=locked, request=request)
    return locked


def followup_decide(*, followup: FollowUp, approve: bool, by, request=None) -> FollowUp:
    """Staff approve an answer for the practice's page and the API, or decline to publish it."""
    if not (by.is_authenticated and by.is_active and by.is_staff):
        raise PermissionDenied
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=followup.pk)
        if locked.state == FollowUp.State.WAITING:
            raise ValidationError(_("The organisation has not answered yet."))
        locked.state = FollowUp.State.APPROVED if approve else FollowUp.State.DECLINED
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.save(update_fields=["state", "decided_at", "decided_by"])
        audit("followup.approved" if approve else "followup.declined", actor=by, target=locked, request=request)
    return locked
