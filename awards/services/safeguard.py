"""Every write of the child-data safeguard: checking an uploaded attachment and making its cleaned copy, the
check at submission (a nominator may submit anyway, with a reason), and staff clearing a flagged nomination.

The values found are never written anywhere: the audit entries and log lines carry kinds and counts only."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit
from awards import documents, files
from awards.models import Attachment, AttachmentFinding, AttachmentScan, FindingKind, Nomination, SafeguardCheck
from awards.personal_data import find_personal_data
from awards.selectors.safeguard import fingerprint_key, nomination_findings

logger = logging.getLogger(__name__)

MAX_REASON_LENGTH = 2000


def _findings_in(text: str, *, where: str, detail: str = "") -> list[AttachmentFinding]:
    key = fingerprint_key()
    return [
        AttachmentFinding(kind=f.kind, where=where, detail=detail[:64], fingerprint=f.fingerprint(text, key=key))
        for f in find_personal_data(text)
    ]


def attachment_scan(*, attachment: Attachment) -> AttachmentScan:
    """Read the attachment's text, comments, metadata and file name for personal data, and write its cleaned copy.

    A file that cannot be read or cleaned is recorded as such (staff must look at it); it is never an error."""
    Where = AttachmentFinding.Where  # noqa: N806 (an enum, read as one)
    path = files.attachment_path(attachment.stored_name)
    found = _findings_in(attachment.original_name, where=Where.FILE_NAME)
    readable = True
    try:
        content = documents.read_document(path, attachment.content_type)
    except documents.DocumentError as error:
        readable = False
        logger.warning("Attachment %s could not be read for the safeguard: %s", attachment.pk, error)
    else:
        for number, page in enumerate(content.pages, start=1):
            found += _findings_in(page, where=Where.TEXT, detail=str(number) if len(content.pages) > 1 else "")
        for comment in content.comments:
            found += _findings_in(comment, where=Where.COMMENT)
        image = attachment.content_type in {files.JPEG, files.PNG}
        for name, value in content.metadata:
            found += _findings_in(value, where=Where.IMAGE if image else Where.METADATA, detail=name)
        if content.has_location:
            found.append(
                AttachmentFinding(kind=FindingKind.LOCATION, where=Where.IMAGE, detail="GPS", fingerprint="gps")
            )
    clean_name = files.clean_copy_name(attachment.stored_name)
    clean_path = files.attachment_path(clean_name)
    clean_path.unlink(missing_ok=True)
    try:
        documents.clean_copy(path, clean_path, attachment.content_type)
    except documents.DocumentError as error:
        readable = False
        clean_name = ""
        logger.warning("Attachment %s could not be cleaned: %s", attachment.pk, error)
    if not readable:
        found.append(AttachmentFinding(kind=FindingKind.UNREADABLE, where=Where.TEXT, fingerprint="unreadable"))
    unique = {(f.kind, f.where, f.detail, f.fingerprint): f for f in found}
    with transaction.atomic():
        AttachmentFinding.objects.filter(attachment=attachment).delete()
        for finding in unique.values():
            finding.attachment = attachment
        AttachmentFinding.objects.bulk_create(unique.values())
        scan, _created = AttachmentScan.objects.update_or_create(
            attachment=attachment,
            defaults={
                "readable": readable,
                "clean_stored_name": clean_name,
                "clean_size": clean_path.stat().st_size if clean_name else None,
            },
        )
    return scan


def safeguard_submit_check(*, nomination: Nomination, by, reason: str = "", request=None) -> SafeguardCheck:
    """At submission, inside its transaction: scan the nomination. With findings that stay in what the jury gets,
    the nominator must either remove them or give a reason; the nomination then waits for staff to clear it.
    Raises ValidationError (code "personal_data") when there are findings and no reason."""
    findings = nomination_findings(nomination)
    holding = findings.holding
    reason = (reason or "").strip()[:MAX_REASON_LENGTH]
    check, _created = SafeguardCheck.objects.select_for_update().get_or_create(nomination=nomination)
    now = timezone.now()
    already_cleared = check.cleared_at is not None and set(findings.fingerprints) <= set(check.cleared_fingerprints)
    if holding and not already_cleared and not reason:
        raise ValidationError(
            _(
                "The nomination seems to contain personal data (%(count)d places, marked on the form). Remove it, "
                "or tell why it must stay and submit anyway."
            ),
            code="personal_data",
            params={"count": len(holding)},
        )
    check.findings_count = len(holding)
    check.kinds = findings.kinds
    check.fingerprints = findings.fingerprints
    check.scanned_at = now
    if not holding:
        check.state = SafeguardCheck.State.CLEAN
    elif already_cleared:
        check.state = SafeguardCheck.State.CLEARED  # nothing new since staff cleared it
    else:
        check.state = SafeguardCheck.State.FLAGGED
        check.nominator_reason = reason
        check.acknowledged_by = by
        check.acknowledged_at = now
    check.save()
    if holding:
        audit(
            "nomination.safeguard_flagged" if check.state == SafeguardCheck.State.FLAGGED else "nomination.safeguard",
            actor=by,
            target=nomination,
            request=request,
            count=len(holding),
            kinds=check.kinds,
            state=check.state,
        )
    return check


def safeguard_clear(*, nomination: Nomination, by, note: str, request=None) -> SafeguardCheck:
    """Staff have read the findings and the nominator's reason: the nomination may reach the jury."""
    if not (by.is_authenticated and by.is_active and by.is_staff):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write down why the nomination may go to the jury as it is.")})
    with transaction.atomic():
        check = SafeguardCheck.objects.select_for_update().filter(nomination=nomination).first()
        if check is None or check.state != SafeguardCheck.State.FLAGGED:
            raise ValidationError(_("The nomination is not waiting for a personal data check."))
        check.state = SafeguardCheck.State.CLEARED
        check.cleared_by = by
        check.cleared_at = timezone.now()
        check.clear_note = note[:MAX_REASON_LENGTH]
        check.cleared_fingerprints = check.fingerprints
        check.save()
        audit("nomination.safeguard_cleared", actor=by, target=nomination, request=request, count=check.findings_count)
    return check
