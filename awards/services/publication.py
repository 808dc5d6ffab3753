"""Every write of the publication: the announcement and its images, publishing and withdrawing the result, and
the e-mails that tell the nominators."""

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import audit
from accounts.models import User
from awards.image_validation import validate_image_content
from awards.models import (
    Announcement,
    AnnouncementImage,
    AwardCycle,
    DecisionEntry,
    Nomination,
    NotificationLog,
)
from awards.rules import require
from awards.selectors.publication import PlannedEmail, planned_result_emails, publication_problems, publicity_columns
from background import outbox
from practices.models import Practice


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
    require("publish_results", by, cycle)
    cycle = AwardCycle.objects.locked(cycle)
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
    require("publish_results", by, announcement.cycle)
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
    require("publish_results", by, image.announcement.cycle)
    announcement = Announcement.objects.select_for_update().get(pk=image.announcement_id)
    name = image.image.name
    image.delete()
    transaction.on_commit(lambda: announcement_image_storage_delete(name))
    announcement.save()
    audit("announcement.image_removed", actor=by, target=announcement, request=request, image=name)


def announcement_image_storage_delete(name: str) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)


def cycle_publish(*, cycle: AwardCycle, by: User, at: datetime | None = None, request=None) -> AwardCycle:
    """Publish the result now, or schedule it for `at` (the announcement at the event).

    Until that moment nothing of the decision is public (AwardCycle.objects.results_public). The e-mails to the
    nominators are recorded in the outbox in the same transaction when published now; scheduled, a task queued
    for the moment records them then (and the due work of the queue catches any moment it missed). No cron."""
    now = timezone.now()
    with transaction.atomic():
        require("publish_results", by, cycle)
        cycle = AwardCycle.objects.locked(cycle)
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
        else:
            results_notify.using(run_after=at).enqueue(cycle.pk)
    return cycle


@transaction.atomic
def cycle_unpublish(*, cycle: AwardCycle, by: User, reason: str, request=None) -> AwardCycle:
    """Cancel a scheduled publication, or withdraw a published result (with the reason, audited)."""
    require("publish_results", by, cycle)
    cycle = AwardCycle.objects.locked(cycle)
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


def _result_context(planned: PlannedEmail) -> dict:
    with translation.override(planned.language):
        year_url = settings.SITE_URL + reverse("awards:year", args=[planned.nomination.cycle.year])
    return {
        "user": planned.user,
        "nomination": planned.nomination,
        "cycle": planned.nomination.cycle,
        "award": planned.nomination.cycle.award,
        "entry": planned.entry,
        "kind": planned.kind,
        "year_url": year_url,
    }


def result_email(*, nomination: Nomination, entry: DecisionEntry | None, kind: str, user: User) -> EmailMessage:
    """The e-mail telling a nominator the result of their nomination, as the outbox renders it in their language:
    the preview staff see before publishing."""
    planned = PlannedEmail(nomination=nomination, entry=entry, kind=kind, user=user)
    subject, text, _html = outbox.render("awards/decisions/email/result", _result_context(planned), planned.language)
    return EmailMessage(subject=subject, body=text, to=[user.email])


def _queue_result_email(planned: PlannedEmail):
    return outbox.send(
        to=planned.user.email,
        purpose="result",
        key=str(planned.nomination.pk),
        language=planned.language,
        template="awards/decisions/email/result",
        context=_result_context(planned),
        recipient=planned.user,
        about=planned.nomination.cycle,
    )


def notifications_send(*, cycle: AwardCycle) -> int:
    """Record in the outbox the e-mails telling the nominators of a published cycle their nomination's result;
    once, whoever calls it. Returns how many were recorded.

    The announcement row is locked and marked in the same transaction as the e-mails and their delivery tasks,
    so two runs at once record them once, and a mail server that is down delays them without losing any."""
    with transaction.atomic():
        announcement = (
            Announcement.objects.select_for_update().select_related("cycle__award").filter(cycle=cycle).first()
        )
        if announcement is None or announcement.notifications_sent_at is not None:
            return 0
        if not AwardCycle.objects.results_public().filter(pk=cycle.pk).exists():
            return 0
        sent = 0
        for planned in planned_result_emails(cycle):
            email = _queue_result_email(planned)
            NotificationLog.objects.create(
                cycle=cycle,
                nomination=planned.nomination,
                recipient=planned.user,
                email=planned.user.email,
                language=planned.language,
                kind=planned.kind,
                message=email,
            )
            sent += 1
        announcement.notifications_sent_at = timezone.now()
        # update_fields without updated_at: e-mailing changes nothing on the public pages.
        announcement.save(update_fields=["notifications_sent_at"])
        audit("cycle.nominators_notified", target=cycle, count=sent)
    return sent


@task
def results_notify(cycle_id: int) -> int:
    """Queued for the moment of a scheduled publication; does nothing if the publication was withdrawn or moved
    (the move queued a task of its own)."""
    cycle = AwardCycle.objects.filter(pk=cycle_id).first()
    return notifications_send(cycle=cycle) if cycle is not None else 0


def notifications_send_due(at: datetime | None = None) -> int:
    """Due work (background/schedule.py): the nominators of every cycle whose publication moment has passed and
    who have not been told."""
    due = AwardCycle.objects.results_public(at).filter(announcement__notifications_sent_at__isnull=True)
    return sum(notifications_send(cycle=cycle) for cycle in due)


def practices_publicity_refresh(*, practices: QuerySet | None = None) -> int:
    """Write the columns on which the public rule of practices is stored (awards.selectors.publication.
    publicity_columns) for `practices` (all of them by default), in the caller's transaction: one UPDATE, so a
    change of consent, a publication or a cleared safeguard shows in the same transaction's reads. Called by the
    receivers of awards/public_changes.py on every save and delete the rule reads, and by the command
    refresh_practice_publicity after bulk writes that send no signals. Returns the number of practices written."""
    if practices is None:
        # Those with a nomination, and those with anything stored: the columns of any other are their defaults
        # already (the rule reads nothing but nominations), and rewriting 20,000 rows for nothing bloats the table.
        practices = Practice.objects.filter(
            Q(pk__in=Nomination.objects.values("practice_id"))
            | Q(listed_from__isnull=False)
            | Q(description_from__isnull=False)
            | Q(description_withheld=True)
        )
    # Locked, then computed in a statement of its own (write_stored): a publication waiting on a practice that a
    # withdrawal of consent had locked would otherwise write what it read before the withdrawal committed.
    return Practice.write_stored(practices, publicity_columns())
