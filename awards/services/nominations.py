"""Services of nominations: start, save a draft, submit, reopen, withdraw, attachments, eligibility, extensions.

Every deadline and state rule is checked here, inside the transaction, with the nomination row locked.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import rules
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import audit
from accounts.models import AuditEvent, OrganisationMembership
from awards import files
from awards.models import (
    Attachment,
    AwardCycle,
    CriterionJustification,
    DeadlineExtension,
    Nomination,
    ReferenceCounter,
)
from awards.rules import require
from awards.selectors.nominations import (
    nominating_organisations,
    nomination_deadline,
    nomination_is_changeable,
    nomination_missing_parts,
)
from awards.selectors.publication import public_practices
from awards.services.safeguard import attachment_scan, safeguard_submit_check
from background import outbox
from practices.models import Organisation, Practice, WellbeingServicesCounty

# The practice description fields a nomination copies from (and may give back to) a Practice.
DESCRIPTION_FIELDS = [
    "name",
    "summary",
    "basic_idea",
    "target_group_description",
    "operating_environment",
    "intended_changes",
    "achieved_changes",
    "evaluation",
    "resources",
    "adoption_conditions",
    "start_year",
    "funder",
    "innokyla_url",
    "language",
]
CONTACT_FIELDS = ["contact_name", "contact_title", "contact_email", "contact_phone", "consent_to_publish"]
EDITABLE_FIELDS = DESCRIPTION_FIELDS + CONTACT_FIELDS
M2M_FIELDS = ["practice_organisations", "municipalities", "counties"]


class StaleEdit(Exception):  # noqa: N818 (it is a refusal, not an error of the program)
    """Someone saved the nomination after the version the user's form was based on."""

    def __init__(self, *, current: Nomination, changed_fields: list[str], changed_by: list[str]):
        super().__init__("stale edit")
        self.current = current
        self.changed_fields = changed_fields
        self.changed_by = changed_by


@dataclass
class SubmitResult:
    nomination: Nomination
    newly_submitted: bool


def _refuse_unless_changeable(nomination: Nomination) -> None:
    if not nomination_is_changeable(nomination):
        if nomination.state == Nomination.State.WITHDRAWN:
            raise ValidationError(_("The nomination has been withdrawn."), code="withdrawn")
        raise ValidationError(
            _("The nomination period has ended; the nomination can no longer be changed."), code="deadline"
        )


def _refuse_unless_nominator(user, nomination: Nomination) -> None:
    if not OrganisationMembership.objects.filter(
        user=user, organisation_id=nomination.organisation_id, can_nominate=True
    ).exists():
        raise ValidationError(_("You do not nominate for this organisation."), code="permission")


def cycle_for_share(cycle_id: int) -> AwardCycle:
    """The cycle's row, read afresh and share-locked until the transaction ends: nomination writes run side by side,
    but a change of the cycle's state (FOR UPDATE in cycle_transition) waits for them, and they for it, so that a
    save, submission or reopening can never commit just after the cycle closed."""
    table = AwardCycle._meta.db_table
    return next(iter(AwardCycle.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR SHARE", [cycle_id])))  # noqa: S608 (the table name is the model's)


def _lock(nomination: Nomination) -> Nomination:
    locked = Nomination.objects.select_for_update(of=("self",)).get(pk=nomination.pk)
    locked.cycle = cycle_for_share(locked.cycle_id)
    return locked


# ---------------------------------------------------------------------------------------------------------------
# Start


def _already_nominated(practice: Practice) -> ValidationError:
    return ValidationError(
        _("“%(name)s” has already been nominated this year. Each practice can be nominated once per year."),
        code="duplicate",
        params={"name": practice.name},
    )


def _refuse_duplicate_start(cycle: AwardCycle, practice: Practice, by) -> None:
    """A practice already submitted this year cannot be nominated again; a nomination of it that the user's own
    organisations already have (a colleague's draft) is pointed to. Other organisations' drafts are not
    mentioned: they are nobody else's business, and the first to submit takes the practice."""
    if Nomination.objects.filter(cycle=cycle, practice=practice, state=Nomination.State.SUBMITTED).exists():
        raise _already_nominated(practice)
    own = (
        Nomination.objects.filter(cycle=cycle, practice=practice, organisation__in=nominating_organisations(by))
        .exclude(state=Nomination.State.WITHDRAWN)
        .first()
    )
    if own is not None:
        raise ValidationError(
            _("Your organisation already has a draft nomination of “%(name)s” this year: continue with it."),
            code="own_draft",
            params={"name": practice.name},
        )


def _description_readable_by(practice: Practice, organisation: Organisation) -> bool:
    """A nomination copies the practice's description only when its nominators may read it: a practice of their
    own organisation, or one whose description is public (with consent; awards' description_public_condition)."""
    if practice.organisations.filter(pk=organisation.pk).exists():
        return True
    return public_practices().filter(pk=practice.pk, description_public=True).exists()


def nomination_start(
    *,
    cycle: AwardCycle,
    organisation: Organisation,
    by,
    practice: Practice | None = None,
    practice_name: str = "",
    on_behalf: bool = False,
    request=None,
) -> Nomination:
    """Start a draft for `organisation`: for an existing practice, copying its description, or for a new one,
    which is created here (not public) with the organisation's own municipalities.

    `on_behalf`: staff start the draft for the organisation (from a proposal by the public); the organisation's
    nominators fill in the contact details and submit it."""
    if on_behalf:
        _refuse_unless_staff(by)
    elif not nominating_organisations(by).filter(pk=organisation.pk).exists():
        raise ValidationError(_("You do not nominate for this organisation."), code="permission")
    if practice is None and not practice_name.strip():
        raise ValidationError(_("Choose a practice or give the name of a new one."), code="no_practice")
    with transaction.atomic():
        cycle = cycle_for_share(cycle.pk)
        if not cycle.is_open_for_nominations():
            raise ValidationError(_("The cycle is not open for nominations."), code="closed")
        practice_is_new = practice is None
        if practice is None:
            practice = Practice(name=practice_name.strip()[:200], is_public=False)
            practice.save()
            practice.organisations.add(organisation)
            practice.municipalities.add(*organisation.municipalities.all())
            practice.counties.add(*organisation.counties.all())
        else:
            _refuse_duplicate_start(cycle, practice, by)
        nomination = Nomination(
            cycle=cycle,
            organisation=organisation,
            practice=practice,
            practice_is_new=practice_is_new,
            created_by=None if on_behalf else by,  # staff are not the nomination's nominators
            contact_name="" if on_behalf else by.get_full_name(),
            contact_title="" if on_behalf else getattr(by, "title", ""),
            contact_email="" if on_behalf else by.email,
            contact_phone="" if on_behalf else getattr(by, "phone", ""),
        )
        readable = practice_is_new or _description_readable_by(practice, organisation)
        for field in DESCRIPTION_FIELDS:
            if readable or field in {"name", "language"}:
                setattr(nomination, field, getattr(practice, field))
        nomination.save()
        nomination.practice_organisations.set(practice.organisations.all() or [organisation])
        municipalities = list(practice.municipalities.all()) or list(organisation.municipalities.all())
        counties = (
            list(practice.counties.all())
            or list(organisation.counties.all())
            # A municipality's services are organised by its wellbeing services county: the county follows.
            or list(WellbeingServicesCounty.objects.filter(municipalities__in=municipalities).distinct())
        )
        nomination.municipalities.set(municipalities)
        nomination.counties.set(counties)
        CriterionJustification.objects.bulk_create(
            CriterionJustification(nomination=nomination, criterion=criterion) for criterion in cycle.criteria.all()
        )
        audit(
            "nomination.started",
            actor=by,
            target=nomination,
            request=request,
            new_practice=practice_is_new,
            on_behalf=on_behalf,
        )
    return nomination


# ---------------------------------------------------------------------------------------------------------------
# Save a draft


def _changed_since(nomination: Nomination, version: int) -> tuple[list[str], list[str]]:
    """Fields changed, and by whom, in the saves after `version` (from the audit trail of saves)."""
    events = AuditEvent.objects.filter(
        action="nomination.saved",
        target_type=nomination._meta.label_lower,
        target_id=str(nomination.pk),
        data__version__gt=version,
    ).select_related("actor")
    fields: list[str] = []
    people: list[str] = []
    for event in events:
        for field in event.data.get("fields", []):
            if field not in fields:
                fields.append(field)
        name = str(event.actor) if event.actor else "?"
        if name not in people:
            people.append(name)
    return fields, people


def _save_justifications(nomination: Nomination, justifications: dict[int, str]) -> list[str]:
    changed = []
    existing = {j.criterion_id: j for j in nomination.justifications.all()}
    criteria = {c.pk for c in nomination.cycle.criteria.all()}
    for criterion_id, text in justifications.items():
        if criterion_id not in criteria:
            continue
        current = existing.get(criterion_id)
        if current is None:
            CriterionJustification.objects.create(nomination=nomination, criterion_id=criterion_id, text=text)
        elif current.text != text:
            current.text = text
            current.save(update_fields=["text"])
        else:
            continue
        changed.append(f"criterion_{criterion_id}")
    return changed


def nomination_save(
    *,
    nomination: Nomination,
    by,
    expected_version: int,
    data: dict,
    relations: dict | None = None,
    justifications: dict[int, str] | None = None,
    request=None,
) -> Nomination:
    """Save what the user typed into a draft: `data` holds the (valid) field values, `relations` the chosen
    organisations/municipalities/counties, `justifications` texts by criterion id. Missing parts are fine in a
    draft. A save based on an older version than the stored one raises StaleEdit and changes nothing."""
    relations = relations or {}
    justifications = justifications or {}
    with transaction.atomic():
        locked = _lock(nomination)
        _refuse_unless_nominator(by, locked)
        _refuse_unless_changeable(locked)
        if locked.state != Nomination.State.DRAFT:
            raise ValidationError(_("Reopen the nomination before changing it."), code="not_draft")
        if locked.version != expected_version:
            fields, people = _changed_since(locked, expected_version)
            raise StaleEdit(current=locked, changed_fields=fields, changed_by=people)
        changed = []
        for field, value in data.items():
            if field in EDITABLE_FIELDS and getattr(locked, field) != value:
                setattr(locked, field, value)
                changed.append(field)
        for field, values in relations.items():
            if field not in M2M_FIELDS:
                continue
            manager = getattr(locked, field)
            new_ids = {obj.pk for obj in values}
            if set(manager.values_list("pk", flat=True)) != new_ids:
                manager.set(values)
                changed.append(field)
        changed += _save_justifications(locked, justifications)
        if changed:
            locked.version = F("version") + 1
            locked.save()
            locked.refresh_from_db()
            audit("nomination.saved", actor=by, target=locked, request=request, version=locked.version, fields=changed)
    return locked


# ---------------------------------------------------------------------------------------------------------------
# Attachments


def attachment_add(*, nomination: Nomination, upload, by, request=None) -> Attachment:
    """Check the file's real type and size, and the count, then store it privately under a random name."""
    checked = files.check_upload(upload)
    with transaction.atomic():
        locked = _lock(nomination)
        _refuse_unless_nominator(by, locked)
        _refuse_unless_changeable(locked)
        if locked.state != Nomination.State.DRAFT:
            raise ValidationError(_("Reopen the nomination before changing it."), code="not_draft")
        if locked.attachments.count() >= files.MAX_ATTACHMENTS:
            raise ValidationError(
                _("A nomination can have at most %(max)d attachments; %(name)s was not added."),
                code="too_many",
                params={"max": files.MAX_ATTACHMENTS, "name": upload.name},
            )
        stored_name = files.store_upload(upload, checked)
        try:
            attachment = Attachment.objects.create(
                nomination=locked,
                stored_name=stored_name,
                original_name=files.safe_download_name(upload.name, checked.extension),
                content_type=checked.content_type,
                size=checked.size,
                uploaded_by=by,
            )
            attachment_scan(attachment=attachment)  # the child-data safeguard: findings and the cleaned copy
            Nomination.objects.filter(pk=locked.pk).update(version=F("version") + 1, updated_at=timezone.now())
            audit(
                "nomination.attachment_added",
                actor=by,
                target=locked,
                request=request,
                attachment=attachment.pk,
                fields=["attachments"],
                version=locked.version + 1,
            )
        except Exception:
            files.delete_stored(stored_name)
            raise
    return attachment


def attachment_delete(*, attachment: Attachment, by, request=None) -> None:
    with transaction.atomic():
        locked = _lock(attachment.nomination)
        _refuse_unless_nominator(by, locked)
        _refuse_unless_changeable(locked)
        if locked.state != Nomination.State.DRAFT:
            raise ValidationError(_("Reopen the nomination before changing it."), code="not_draft")
        stored_name = attachment.stored_name
        Attachment.objects.filter(pk=attachment.pk, nomination=locked).delete()
        Nomination.objects.filter(pk=locked.pk).update(version=F("version") + 1, updated_at=timezone.now())
        audit(
            "nomination.attachment_deleted",
            actor=by,
            target=locked,
            request=request,
            attachment=attachment.pk,
            fields=["attachments"],
            version=locked.version + 1,
        )
        transaction.on_commit(lambda: files.delete_stored(stored_name))


# ---------------------------------------------------------------------------------------------------------------
# Submit, reopen, withdraw


def _next_reference(cycle: AwardCycle) -> str:
    # The counter row is created once (a conflicting insert is ignored) and then locked: numbers never repeat.
    ReferenceCounter.objects.bulk_create([ReferenceCounter(cycle=cycle)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(cycle=cycle)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"LST-{cycle.year}-{counter.last_number:04d}"


def _practice_follows_nomination(nomination: Nomination) -> None:
    """A practice created by this nomination takes the submitted description into the library (still not public:
    publication follows the results and the consent), so that a winner's library page is not an empty name."""
    practice = Practice.objects.select_for_update().get(pk=nomination.practice_id)
    for field in DESCRIPTION_FIELDS:
        setattr(practice, field, getattr(nomination, field))
    practice.save()
    practice.organisations.add(*nomination.practice_organisations.all())
    practice.municipalities.add(*nomination.municipalities.all())
    practice.counties.add(*nomination.counties.all())


def nomination_submit(*, nomination: Nomination, by, safeguard_reason: str = "", request=None) -> SubmitResult:
    """Submit a complete draft before the deadline: a reference number on the first submission and a
    confirmation e-mail. Submitting an already submitted nomination (a double click) changes nothing.

    What looks like personal data must be removed first, or submitted anyway with `safeguard_reason`; such a
    nomination waits for staff before the jury sees it (awards/services/safeguard.py)."""
    with transaction.atomic():
        locked = _lock(nomination)
        _refuse_unless_nominator(by, locked)
        if locked.state == Nomination.State.SUBMITTED:
            return SubmitResult(locked, newly_submitted=False)
        _refuse_unless_changeable(locked)
        missing = nomination_missing_parts(locked)
        if missing:
            raise ValidationError(
                _("The nomination is not complete. Missing: %(missing)s."),
                code="incomplete",
                params={"missing": ", ".join(missing)},
            )
        submitted = Nomination.objects.filter(cycle=locked.cycle, state=Nomination.State.SUBMITTED)
        if submitted.filter(practice_id=locked.practice_id).exclude(pk=locked.pk).exists():
            raise _already_nominated(locked.practice)
        safeguard_submit_check(nomination=locked, by=by, reason=safeguard_reason, request=request)
        if not locked.reference:
            locked.reference = _next_reference(locked.cycle)
        if (
            Nomination.objects.filter(
                cycle=locked.cycle, practice_id=locked.practice_id, state=Nomination.State.SUBMITTED
            )
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise _already_nominated(locked.practice)
        if locked.practice_is_new:
            _practice_follows_nomination(locked)
        locked.state = Nomination.State.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.version = F("version") + 1
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as exc:  # another organisation submitted the same practice at the same moment
            raise _already_nominated(locked.practice) from exc
        locked.refresh_from_db()
        audit("nomination.submitted", actor=by, target=locked, request=request, reference=locked.reference)
        _send_confirmation(locked, by)
    return SubmitResult(locked, newly_submitted=True)


def _receipt(nomination: Nomination, user) -> tuple[str, dict]:
    """The receipt's language and context: what was received, the deadline, what happens next and when the
    results come."""
    language = getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        url = settings.SITE_URL + reverse("awards:nomination_detail", args=[nomination.pk])
    return language, {
        "nomination": nomination,
        "cycle": nomination.cycle,
        "deadline": nomination_deadline(nomination),
        "justifications": nomination.justifications.select_related("criterion"),
        "attachments": nomination.attachments.all(),
        "url": url,
        "user": user,
    }


def submission_receipt_email(nomination: Nomination, user) -> EmailMultiAlternatives:
    """The receipt as the outbox renders it, for the checks of its markup and for previews."""
    language, context = _receipt(nomination, user)
    subject, text, html = outbox.render("awards/nominations/email_submitted", context, language)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def _send_confirmation(nomination: Nomination, user) -> None:
    """Queued with the submission (background/outbox.py): the submission stands whatever the mail server does,
    and the e-mail goes out once, when the server takes it. Only to the signed-in nominator: a typed contact
    address is not verified, and mail must not go to strangers."""
    language, context = _receipt(nomination, user)
    outbox.send(
        to=user.email,
        purpose="nomination_submitted",
        # One per submission: a nomination reopened and submitted again is confirmed again.
        key=f"{nomination.pk}:{nomination.version}",
        language=language,
        template="awards/nominations/email_submitted",
        context=context,
        recipient=user,
        about=nomination.cycle,
    )


def nomination_reopen(*, nomination: Nomination, by, request=None) -> Nomination:
    """Back to a draft for editing, before the deadline. The reference number stays."""
    with transaction.atomic():
        locked = _lock(nomination)
        _refuse_unless_nominator(by, locked)
        _refuse_unless_changeable(locked)
        if locked.state != Nomination.State.SUBMITTED:
            return locked
        locked.state = Nomination.State.DRAFT
        previous_eligibility = locked.eligibility
        # A changed nomination must be checked again; the earlier decision stays in the audit trail.
        locked.eligibility = Nomination.Eligibility.PENDING
        locked.eligibility_reason = ""
        locked.version = F("version") + 1
        locked.save()
        locked.refresh_from_db()
        audit(
            "nomination.reopened",
            previous_eligibility=previous_eligibility,
            actor=by,
            target=locked,
            request=request,
            fields=["state"],
            version=locked.version,
        )
    return locked


def nomination_withdraw(*, nomination: Nomination, by, request=None) -> Nomination:
    with transaction.atomic():
        locked = _lock(nomination)
        _refuse_unless_nominator(by, locked)
        _refuse_unless_changeable(locked)
        locked.state = Nomination.State.WITHDRAWN
        if locked.submitted_at is None:
            locked.submitted_at = timezone.now()  # the database requires a time on every non-draft
        locked.version = F("version") + 1
        locked.save()
        locked.refresh_from_db()
        audit(
            "nomination.withdrawn", actor=by, target=locked, request=request, fields=["state"], version=locked.version
        )
    return locked


# ---------------------------------------------------------------------------------------------------------------
# Staff


def _refuse_unless_staff(user) -> None:
    if not rules.test_rule("manage_cycle", user):
        raise ValidationError(_("Only the organisers' staff may do this."), code="permission")


def nomination_set_eligibility(*, nomination: Nomination, eligibility: str, reason: str, by, request=None):
    """Staff mark a submitted nomination eligible or ineligible; an ineligible one needs a reason and never
    reaches the jury (awards.selectors.jury.jury_nominations)."""
    _refuse_unless_staff(by)
    if eligibility not in Nomination.Eligibility.values:
        raise ValidationError(_("Choose eligible or ineligible."), code="invalid")
    reason = reason.strip()
    if eligibility == Nomination.Eligibility.INELIGIBLE and not reason:
        raise ValidationError(_("Give the reason why the nomination is ineligible."), code="reason")
    with transaction.atomic():
        locked = _lock(nomination)
        if locked.state != Nomination.State.SUBMITTED:
            raise ValidationError(_("Only submitted nominations are checked for eligibility."), code="state")
        if locked.cycle.state in {AwardCycle.State.DECIDED, AwardCycle.State.PUBLISHED}:
            raise ValidationError(_("The cycle has been decided; eligibility can no longer change."), code="decided")
        previous = locked.eligibility
        locked.eligibility = eligibility
        locked.eligibility_reason = reason
        locked.save(update_fields=["eligibility", "eligibility_reason", "updated_at"])
        audit(
            "nomination.eligibility",
            actor=by,
            target=locked,
            request=request,
            previous=previous,
            eligibility=eligibility,
        )
    return locked


def nomination_grant_extension(*, nomination: Nomination, until: datetime, reason: str, by, request=None):
    """Staff let one nomination be changed and submitted after the cycle's deadline, recorded with a reason."""
    _refuse_unless_staff(by)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for the extension."), code="reason")
    with transaction.atomic():
        locked = _lock(nomination)
        close = locked.cycle.nominations_close_at
        if close is not None and until <= close:
            raise ValidationError(_("An extension must end after the cycle's deadline."), code="until")
        if until <= timezone.now():
            raise ValidationError(_("An extension must end in the future."), code="until")
        if locked.state == Nomination.State.WITHDRAWN:
            raise ValidationError(_("The nomination has been withdrawn."), code="withdrawn")
        extension = DeadlineExtension.objects.create(nomination=locked, until=until, reason=reason, granted_by=by)
        audit("nomination.extension", actor=by, target=locked, request=request, until=until.isoformat())
    return extension


# ---------------------------------------------------------------------------------------------------------------
# Reminders of unsubmitted drafts (due work, background/schedule.py)

DRAFT_REMINDERS_BEFORE_DEADLINE = {"7d": timedelta(days=7), "1d": timedelta(days=1)}


def draft_reminders_send_due(now: datetime) -> int:
    """Remind the owner of each unsubmitted draft 7 days and 1 day before its deadline (the cycle's, or the
    nomination's own extension), in the owner's language. Each reminder goes out once (its key); one whose
    moment passed while no worker ran still goes, the nearest only, while the draft can still be submitted."""
    horizon = max(DRAFT_REMINDERS_BEFORE_DEADLINE.values())
    drafts = (
        Nomination.objects.filter(
            state=Nomination.State.DRAFT,
            created_by__is_active=True,
            cycle__state__in=[AwardCycle.State.OPEN, AwardCycle.State.CLOSED],
        )
        .filter(
            Q(cycle__nominations_close_at__gt=now, cycle__nominations_close_at__lte=now + horizon)
            | Q(extensions__until__gt=now, extensions__until__lte=now + horizon)
        )
        .select_related("cycle__award", "created_by", "organisation")
        .distinct()
        .order_by("pk")
    )
    count = 0
    for nomination in drafts:
        deadline = nomination_deadline(nomination)
        if deadline is None or not nomination_is_changeable(nomination, now):
            continue
        due = [name for name, before in DRAFT_REMINDERS_BEFORE_DEADLINE.items() if deadline - before <= now]
        if not due:
            continue
        name = min(due, key=lambda n: DRAFT_REMINDERS_BEFORE_DEADLINE[n])
        owner = nomination.created_by
        language = owner.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            url = settings.SITE_URL + reverse("awards:nomination_edit", args=[nomination.pk])
        outbox.send(
            to=owner.email,
            purpose="draft_reminder",
            key=f"{nomination.pk}:{deadline.isoformat()}:{name}",
            language=language,
            template="awards/nominations/email_draft_reminder",
            context={"nomination": nomination, "deadline": deadline, "url": url, "user": owner},
            recipient=owner,
            about=nomination.cycle,
        )
        count += 1
    return count


def nominations_exported(*, cycle: AwardCycle, by, fmt: str, count: int, request=None) -> None:
    """Record that staff exported a cycle's nominations with their contact details (the export itself is a read);
    refused (PermissionDenied) to anyone without the staff right."""
    require("manage_cycle", by, cycle)
    audit("nomination.exported", actor=by, target=cycle, request=request, format=fmt, count=count)


def nomination_set_consent(*, nomination: Nomination, consent: bool, by, request=None) -> Nomination:
    """The nominator gives or withdraws consent to publish the practice description, at any time after submission
    (a draft's consent is part of its form). Withdrawn, the text leaves every public surface at once: they all
    read awards.selectors.publication.description_public_condition. The practice's row is touched too, so that
    whatever caches its pages sees the change."""
    with transaction.atomic():
        locked = _lock(nomination)
        _refuse_unless_nominator(by, locked)
        if locked.state == Nomination.State.DRAFT:
            raise ValidationError(_("Change the consent in the nomination form while it is a draft."), code="draft")
        if locked.consent_to_publish == consent:
            return locked
        locked.consent_to_publish = consent
        locked.save(update_fields=["consent_to_publish", "updated_at"])
        Practice.objects.filter(pk=locked.practice_id).update(updated_at=timezone.now())
        audit(
            "nomination.consent_given" if consent else "nomination.consent_withdrawn",
            actor=by,
            target=locked,
            request=request,
        )
    return locked
