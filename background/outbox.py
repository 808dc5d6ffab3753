"""The e-mail outbox: every e-mail of the service is recorded here and delivered by the task queue.

    from background import outbox

    outbox.send(
        to=user.email, purpose="nomination_submitted", key=f"{nomination.pk}:{nomination.version}",
        language=user.preferred_language, template="awards/nominations/email_submitted",
        context={"nomination": nomination}, recipient=user, about=nomination.cycle,
    )

`send` renders the e-mail now, in the recipient's language, and records it in the caller's transaction together
with the task that delivers it: nothing is sent if the change rolls back, and nothing is lost if the mail server
is down. One row per purpose, occasion (`key`) and recipient: sending the same again returns the first row and
sends nothing more. `deliver` sends it once, retrying with a growing pause while the server refuses or is away;
a recipient the server refuses outright, or too many failed attempts, leave it failed with the reason, and
staff may `retry` it.
"""

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from .models import Email

logger = logging.getLogger("background.outbox")

# Purposes: a label for staff pages, registered by the app that sends the e-mail (AppConfig.ready).
_PURPOSES: dict[str, object] = {}


def register_purpose(name: str, label) -> None:
    _PURPOSES[name] = label


def purpose_label(name: str) -> str:
    return str(_PURPOSES.get(name, name))


def render(template: str, context: dict, language: str, subject=None) -> tuple[str, str, str]:
    """The subject, text and HTML that send() records for `template` in `language`; also for previews of an e-mail
    before it is sent (staff's publication page, the markup checks)."""
    with translation.override(language):
        text = render_to_string(f"{template}.txt", context)
        try:
            html = get_template(f"{template}.html").render(context)
        except TemplateDoesNotExist:
            html = ""
        if subject is None:
            subject = render_to_string(f"{template}_subject.txt", context)
        # One line: a header cannot hold a line break.
        subject = " ".join(str(subject).split())
    return subject, text, html


def send(
    *,
    to: str,
    purpose: str,
    key: str,
    language: str,
    template: str | None = None,
    context: dict | None = None,
    subject=None,
    text: str | None = None,
    recipient=None,
    about=None,
) -> Email:
    """Record one e-mail and queue its delivery, in the caller's transaction.

    `template` names `<template>.txt` (and, if it exists, `<template>.html`); the subject is `subject` (a lazy
    or plain string, translated in `language`) or else `<template>_subject.txt`. Everything is rendered now, in
    `language`, so the e-mail says what was true when it was sent for. Instead of a template, a caller may give
    the `subject` and `text` it composed itself in the recipient's language. The same `purpose`, `key` and `to`
    again returns the row already recorded and queues nothing."""
    to = (to or "").strip()
    language = language or settings.LANGUAGE_CODE
    existing = Email.objects.filter(purpose=purpose, key=key, to__iexact=to).first()
    if existing is not None:
        return existing
    if template is not None:
        subject, text, html = render(template, context or {}, language, subject)
    elif text is not None and subject is not None:
        with translation.override(language):
            subject, html = " ".join(str(subject).split()), ""
    else:
        raise ValueError("outbox.send needs a template, or a subject and a text")
    email = Email(
        purpose=purpose,
        key=key,
        to=to,
        recipient=recipient if getattr(recipient, "pk", None) else None,
        language=language,
        subject=subject,
        text=text,
        html=html,
    )
    if about is not None:
        email.about_type = ContentType.objects.get_for_model(about)
        email.about_id = about.pk
    try:
        with transaction.atomic():
            email.save()
            # The queue is in the same database: the task row commits or rolls back with the e-mail and the change.
            deliver.enqueue(email.pk)
    except IntegrityError:
        # Another transaction recorded the same e-mail a moment ago.
        return Email.objects.get(purpose=purpose, key=key, to__iexact=to)
    return email


def retry(*, email: Email) -> Email:
    """Queue a failed e-mail again (staff's button); the caller audits who asked."""
    with transaction.atomic():
        locked = Email.objects.select_for_update().get(pk=email.pk)
        if locked.state != Email.State.FAILED:
            return locked
        locked.state = Email.State.RETRYING
        locked.next_attempt_at = timezone.now()
        locked.save(update_fields=["state", "next_attempt_at"])
        deliver.enqueue(locked.pk)
    return locked


def retry_delay(attempts: int) -> timedelta:
    """The pause after the `attempts`-th failure: it doubles each time, up to OUTBOX_RETRY_MAX_SECONDS."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def _message(email: Email) -> EmailMultiAlternatives:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        to=[email.to],
        # The same Message-ID on every attempt: a receiving system that got it already can tell.
        headers={"Message-ID": f"<outbox.{email.pk}.{int(email.created_at.timestamp())}@{domain}>"},
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    return message


def _permanent(error: Exception) -> bool:
    """The server refused this message for good (an unknown recipient, content refused): retrying cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


def _reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {message.decode(errors='replace')}" for code, message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        return f"{error.smtp_code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    return f"{type(error).__name__}: {error}"[:1000]


@task
def deliver(email_id: int) -> str:
    """Send one recorded e-mail, once. The row stays locked while the mail server is talked to, so a second
    worker skips it; a worker killed meanwhile leaves it queued (the lock goes with its connection) and the
    queue runs this task again."""
    with transaction.atomic():
        email = Email.objects.select_for_update(skip_locked=True).filter(pk=email_id).first()
        if email is None:
            return "busy"  # another worker is sending it (or it is gone): its outcome stands
        if email.state not in {Email.State.QUEUED, Email.State.RETRYING}:
            return email.state
        now = timezone.now()
        if email.next_attempt_at > now:
            return "later"  # a retry is queued for its moment
        email.attempts += 1
        email.last_attempt_at = now
        try:
            _message(email).send()
        except (smtplib.SMTPException, OSError) as error:
            email.last_error = _reason(error)
            if _permanent(error) or email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                email.state = Email.State.FAILED
            else:
                email.state = Email.State.RETRYING
                email.next_attempt_at = now + retry_delay(email.attempts)
                deliver.using(run_after=email.next_attempt_at).enqueue(email.pk)
            logger.warning("e-mail %s attempt %s failed (%s)", email.pk, email.attempts, type(error).__name__)
        else:
            email.state = Email.State.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
            # Delivered: the content (which may hold a link that opens an account) is not kept.
            email.text = ""
            email.html = ""
            logger.info("e-mail %s sent (%s)", email.pk, email.purpose)
        email.save()
    return email.state


def sweep(now: datetime) -> int:
    """Queue again the delivery of e-mails whose moment passed long ago without a worker taking them (a task
    row lost with a restored database, say). Extra deliveries are harmless: each finds the e-mail done."""
    from .workers import pending_task_args  # noqa: PLC0415

    stale = Email.objects.pending().filter(next_attempt_at__lt=now - timedelta(minutes=5))
    waiting = {args[0] for args in pending_task_args(deliver) if args}
    count = 0
    for pk in stale.values_list("pk", flat=True)[:500]:
        if pk not in waiting:
            deliver.enqueue(pk)
            count += 1
    return count
