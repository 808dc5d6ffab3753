"""Every write of the decision and publication: the jury's decision, the announcement, publishing, e-mails."""

from dataclasses import dataclass
from datetime import date, datetime

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import audit
from accounts.models import OrganisationMembership, User
from awards.image_validation import validate_image_content
from awards.models import (
    Announcement,
    AnnouncementImage,
    AwardCycle,
    Decision,
    DecisionEntry,
    DecisionReopening,
    Nomination,
    NotificationLog,
)
from awards.selectors import decision_candidates

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


def _require(rule: str, user, obj) -> None:
    if not rules.test_rule(rule, user, obj):
        raise PermissionDenied


def _locked_cycle(cycle: AwardCycle) -> AwardCycle:
    return AwardCycle.objects.select_for_update().get(pk=cycle.pk)


@transaction.atomic
def decision_save(*, cycle: AwardCycle, by: User, entries: list[EntryData], request=None) -> Decision:
    """Save the draft decision: the results the user may set, replacing their earlier ones.

    Entries of nominations the user may not see (a chair's conflicts) are left untouched, never deleted."""
    _require("record_decision", by, cycle)
    cycle = _locked_cycle(cycle)
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
            ),
        )
    decision.save()  # touches updated_at, which the public pages' caches key on
    audit(
        "decision.saved",
        actor=by,
        target=decision,
        request=request,
        entries=[{"nomination": e.nomination.pk, "result": e.result} for e in entries],
    )
    return decision


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


@transaction.atomic
def decision_confirm(*, decision: Decision, by: User, request=None) -> Decision:
    """Confirm the draft decision: it is locked from now on, and the cycle is decided."""
    _require("record_decision", by, decision.cycle)
    cycle = _locked_cycle(decision.cycle)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.state == Decision.State.CONFIRMED:
        raise ValidationError(_("The decision is already confirmed."))
    if cycle.state not in DECISION_STATES:
        raise ValidationError(_("The decision can be confirmed only after the jury's scoring has begun."))
    problems = decision_problems(decision)
    if problems:
        raise ValidationError(problems)
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
    _require("publish_results", by, decision.cycle)
    cycle = _locked_cycle(decision.cycle)
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


@transaction.atomic
def announcement_save(
    *,
    cycle: AwardCycle,
    by: User,
    title_fi: str,
    text_fi: str,
    title_sv: str = "",
    text_sv: str = "",
    title_en: str = "",
    text_en: str = "",
    announcement_on: date | None = None,
    occasion_fi: str = "",
    occasion_sv: str = "",
    occasion_en: str = "",
    request=None,
) -> Announcement:
    """Create or change the announcement's texts, and the cycle's announcement date and occasion."""
    _require("publish_results", by, cycle)
    cycle = _locked_cycle(cycle)
    if not title_fi.strip() or not text_fi.strip():
        raise ValidationError(_("The title and the text in Finnish are required."))
    announcement, created = Announcement.objects.update_or_create(
        cycle=cycle,
        defaults=dict(
            title_fi=title_fi.strip(),
            title_sv=title_sv.strip(),
            title_en=title_en.strip(),
            text_fi=text_fi.strip(),
            text_sv=text_sv.strip(),
            text_en=text_en.strip(),
        ),
    )
    cycle.announcement_on = announcement_on
    cycle.occasion_fi = occasion_fi.strip()
    cycle.occasion_sv = occasion_sv.strip()
    cycle.occasion_en = occasion_en.strip()
    cycle.save(update_fields=["announcement_on", "occasion_fi", "occasion_sv", "occasion_en", "updated_at"])
    audit("announcement.created" if created else "announcement.changed", actor=by, target=announcement, request=request)
    return announcement


@transaction.atomic
def announcement_image_add(
    *,
    announcement: Announcement,
    by: User,
    image,
    alt_fi: str,
    alt_sv: str = "",
    alt_en: str = "",
    caption: str = "",
    request=None,
) -> AnnouncementImage:
    """Add a photo or logo; the content must be a real JPEG, PNG or WebP image and the alt text is required."""
    _require("publish_results", by, announcement.cycle)
    if not alt_fi.strip():
        raise ValidationError({"alt_fi": _("Describe the image in Finnish for those who cannot see it.")})
    extension = validate_image_content(image)
    image.name = f"image.{extension}"  # the stored name follows the content, not the uploader's name
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    order = announcement.images.count()
    picture = AnnouncementImage.objects.create(
        announcement=announcement,
        image=image,
        alt_fi=alt_fi.strip(),
        alt_sv=alt_sv.strip(),
        alt_en=alt_en.strip(),
        caption=caption.strip(),
        order=order,
    )
    announcement.save()
    audit("announcement.image_added", actor=by, target=announcement, request=request, image=picture.image.name)
    return picture


@transaction.atomic
def announcement_image_remove(*, image: AnnouncementImage, by: User, request=None) -> None:
    _require("publish_results", by, image.announcement.cycle)
    announcement = Announcement.objects.select_for_update().get(pk=image.announcement_id)
    name = image.image.name
    image.delete()
    transaction.on_commit(lambda: announcement_image_storage_delete(name))
    announcement.save()
    audit("announcement.image_removed", actor=by, target=announcement, request=request, image=name)


def announcement_image_storage_delete(name: str) -> None:
    from django.core.files.storage import default_storage  # noqa: PLC0415

    if name and default_storage.exists(name):
        default_storage.delete(name)


def publication_problems(cycle: AwardCycle) -> list[str]:
    """What keeps the result of `cycle` from being published; empty when it may be."""
    problems = []
    decision = Decision.objects.filter(cycle=cycle).first()
    if decision is None or decision.state != Decision.State.CONFIRMED:
        problems.append(_("The jury's decision is not confirmed."))
    else:
        entries = list(decision.entries.select_related("nomination"))
        if not any(e.result == DecisionEntry.Result.WINNER for e in entries):
            problems.append(_("The decision names no winner."))
        problems.extend(
            _("%(name)s: the citation in Swedish is missing.") % {"name": e.nomination.name}
            for e in entries
            if not e.citation_sv.strip()
        )
    announcement = Announcement.objects.filter(cycle=cycle).first()
    if announcement is None:
        problems.append(_("The announcement has not been written."))
    elif not announcement.text_sv.strip() or not announcement.title_sv.strip():
        problems.append(_("The announcement's title and text in Swedish are missing."))
    return problems


def cycle_publish(*, cycle: AwardCycle, by: User, at: datetime | None = None, request=None) -> AwardCycle:
    """Publish the result now, or schedule it for `at` (the announcement at the event).

    Until that moment nothing of the decision is public (AwardCycle.objects.results_public). Published now,
    the nominators are e-mailed at once; scheduled, `send_due_notifications` e-mails them when the moment passes."""
    now = timezone.now()
    with transaction.atomic():
        _require("publish_results", by, cycle)
        cycle = _locked_cycle(cycle)
        if (
            cycle.state == AwardCycle.State.PUBLISHED
            and cycle.results_published_at
            and cycle.results_published_at <= now
        ):
            raise ValidationError(_("The result is already public."))
        if cycle.state not in {AwardCycle.State.DECIDED, AwardCycle.State.PUBLISHED}:
            raise ValidationError(_("Only a decided cycle can be published."))
        problems = publication_problems(cycle)
        if problems:
            raise ValidationError(problems)
        if at is not None and at < now:
            raise ValidationError({"at": _("Choose a moment in the future, or publish now.")})
        cycle.state = AwardCycle.State.PUBLISHED
        cycle.results_published_at = at or now
        cycle.save(update_fields=["state", "results_published_at", "updated_at"])
        audit(
            "cycle.published" if at is None else "cycle.publication_scheduled",
            actor=by,
            target=cycle,
            request=request,
            at=cycle.results_published_at.isoformat(),
        )
    if at is None:
        notifications_send(cycle=cycle)
    return cycle


@transaction.atomic
def cycle_unpublish(*, cycle: AwardCycle, by: User, reason: str, request=None) -> AwardCycle:
    """Cancel a scheduled publication, or withdraw a published result (with the reason, audited)."""
    _require("publish_results", by, cycle)
    cycle = _locked_cycle(cycle)
    if cycle.state != AwardCycle.State.PUBLISHED:
        raise ValidationError(_("The result is neither published nor scheduled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    was = cycle.results_published_at
    cycle.state = AwardCycle.State.DECIDED
    cycle.results_published_at = None
    cycle.save(update_fields=["state", "results_published_at", "updated_at"])
    audit(
        "cycle.unpublished",
        actor=by,
        target=cycle,
        request=request,
        was=was.isoformat() if was else None,
        reason=reason.strip(),
    )
    return cycle


def _kind_of(nomination: Nomination, results: dict[int, DecisionEntry]) -> str:
    entry = results.get(nomination.pk)
    return entry.result if entry else NotificationLog.Kind.NOMINEE


def nomination_recipients(nomination: Nomination) -> list[User]:
    """The nominators of a nomination: who may nominate for its organisation, and who created it."""
    users = {
        m.user.pk: m.user
        for m in OrganisationMembership.objects.filter(
            organisation_id=nomination.organisation_id, can_nominate=True, user__is_active=True
        ).select_related("user")
    }
    if nomination.created_by_id and nomination.created_by.is_active:
        users.setdefault(nomination.created_by_id, nomination.created_by)
    return sorted(users.values(), key=lambda u: u.email)


def _send_result_email(*, nomination: Nomination, entry: DecisionEntry | None, kind: str, user: User) -> str:
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "user": user,
            "nomination": nomination,
            "cycle": nomination.cycle,
            "award": nomination.cycle.award,
            "entry": entry,
            "kind": kind,
            "year_url": settings.SITE_URL + reverse("awards:year", args=[nomination.cycle.year]),
        }
        subject = render_to_string("awards/decisions/email/result_subject.txt", context).strip()
        body = render_to_string("awards/decisions/email/result_body.txt", context)
    EmailMessage(subject=subject, body=body, to=[user.email]).send()
    return language


def notifications_send(*, cycle: AwardCycle) -> int:
    """E-mail the nominators of a published cycle about their nomination's result; once, whoever calls it.

    The announcement row is locked while sending and marked when done, and every e-mail is logged before the
    next, so two runs at once or a run after a failure never send an e-mail twice."""
    with transaction.atomic():
        announcement = (
            Announcement.objects.select_for_update().select_related("cycle__award").filter(cycle=cycle).first()
        )
        if announcement is None or announcement.notifications_sent_at is not None:
            return 0
        if not AwardCycle.objects.results_public().filter(pk=cycle.pk).exists():
            return 0
        results = {
            e.nomination_id: e
            for e in DecisionEntry.objects.filter(decision__cycle=cycle, decision__state=Decision.State.CONFIRMED)
        }
        already = set(NotificationLog.objects.filter(cycle=cycle).values_list("nomination_id", "email"))
        sent = 0
        nominations = (
            Nomination.objects.filter(cycle=cycle, state=Nomination.State.SUBMITTED)
            .select_related("cycle__award", "created_by", "organisation")
            .order_by("pk")
        )
        for nomination in nominations:
            kind = _kind_of(nomination, results)
            for user in nomination_recipients(nomination):
                if (nomination.pk, user.email) in already:
                    continue
                language = _send_result_email(
                    nomination=nomination, entry=results.get(nomination.pk), kind=kind, user=user
                )
                NotificationLog.objects.create(
                    cycle=cycle, nomination=nomination, recipient=user, email=user.email, language=language, kind=kind
                )
                already.add((nomination.pk, user.email))
                sent += 1
        announcement.notifications_sent_at = timezone.now()
        # update_fields without updated_at: e-mailing changes nothing on the public pages.
        announcement.save(update_fields=["notifications_sent_at"])
    audit("cycle.nominators_notified", target=cycle, count=sent)
    return sent


def notifications_send_due(at: datetime | None = None) -> int:
    """E-mail the nominators of every cycle whose publication moment has passed and who have not been told."""
    due = AwardCycle.objects.results_public(at).filter(announcement__notifications_sent_at__isnull=True)
    return sum(notifications_send(cycle=cycle) for cycle in due)
