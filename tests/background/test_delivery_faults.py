"""The outbox against a real SMTP server on loopback and real worker processes: a server that refuses at first,
a worker killed in the middle of sending, and a publication scheduled for a moment, with no cron."""

import os
import signal
from datetime import timedelta

import pytest
from django.utils import timezone

from awards.services.publication import cycle_publish
from background.models import Email
from tests.factories import UserFactory, decided_cycle

from .conftest import free_port, manage, process_env, wait_until
from .smtp import FlakyHandler, SMTPServer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("real_queue")]


def worker_env(smtp_port: int, **extra) -> dict:
    return process_env(
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp_port,
        EMAIL_USE_TLS="false",
        EMAIL_TIMEOUT=10,
        OUTBOX_RETRY_BASE_SECONDS="0.2",
        OUTBOX_RETRY_MAX_SECONDS="1",
        **extra,
    )


def states() -> dict[str, int]:
    counts = {}
    for state in Email.objects.values_list("state", flat=True):
        counts[state] = counts.get(state, 0) + 1
    return counts


def test_results_arrive_once_each_in_the_recipients_language_after_the_server_refused(start_process):
    """Publishing records the e-mails at once and succeeds while the mail server refuses; the worker keeps
    trying with a growing pause and every nominator gets one e-mail, in their language, when the server takes
    them."""
    data = decided_cycle()
    staff = UserFactory(is_staff=True)
    cycle_publish(cycle=data.cycle, by=staff)
    assert states() == {"queued": 2}
    handler = FlakyHandler(refuse=3)
    with SMTPServer(handler, free_port()) as server:
        start_process(*manage("worker", "--interval", "0.2"), env=worker_env(server.port), name="worker")
        wait_until(lambda: states() == {"sent": 2}, timeout=60, what="both e-mails sent")
    assert handler.attempts == 5  # three refusals, then one each
    by_recipient = {message.to[0]: message for message in handler.received}
    assert sorted(by_recipient) == sorted([data.winner_nominator.email, data.nominee_nominator.email])
    assert len(handler.received) == 2
    assert "har vunnit" in by_recipient[data.winner_nominator.email].body  # Swedish
    assert "Vinnarens motivering." in by_recipient[data.winner_nominator.email].body
    assert f"/fi/palkinto/{data.cycle.year}/" in by_recipient[data.nominee_nominator.email].body  # Finnish
    retried = Email.objects.filter(attempts__gt=1)
    assert retried.exists()
    assert all(email.last_error == "" and email.text == "" for email in Email.objects.all())
    # One Message-ID per logical e-mail, the same on every attempt.
    assert len({message.message_id for message in handler.received}) == 2


def test_a_refused_recipient_fails_with_the_reason_and_staff_can_send_it_again(start_process):
    user = UserFactory(preferred_language="en")
    from background import outbox  # noqa: PLC0415

    email = outbox.send(
        to=user.email, purpose="test", key="1", language="en", subject="Hello", text="Body", recipient=user
    )

    class Refusing(FlakyHandler):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
            self.attempts += 1
            if self.attempts == 1:
                return "550 5.1.1 No such user here"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    handler = Refusing()
    with SMTPServer(handler, free_port()) as server:
        worker = start_process(*manage("worker", "--interval", "0.2"), env=worker_env(server.port), name="worker")
        wait_until(lambda: Email.objects.get(pk=email.pk).state == "failed", timeout=30, what="a failed e-mail")
        failed = Email.objects.get(pk=email.pk)
        assert failed.attempts == 1  # refused for good: no pointless retries
        assert "550" in failed.last_error
        assert "No such user" in failed.last_error
        assert failed.text == "Body"  # kept for the retry
        outbox.retry(email=failed)
        wait_until(lambda: Email.objects.get(pk=email.pk).state == "sent", timeout=30, what="the retried e-mail")
        assert worker.poll() is None
    assert len(handler.received) == 1


def test_a_worker_killed_while_sending_leaves_the_email_to_the_next_worker_and_it_arrives_once(start_process):
    user = UserFactory(preferred_language="sv")
    from background import outbox  # noqa: PLC0415

    email = outbox.send(
        to=user.email,
        purpose="account_approved",
        key="kill-test",
        language="sv",
        template="accounts/email/account_rejected",
        subject="Test",
        context={},
    )
    handler = FlakyHandler(hold=True)
    with SMTPServer(handler, free_port()) as server:
        first = start_process(*manage("worker", "--interval", "0.2"), env=worker_env(server.port), name="first")
        wait_until(handler.holding.is_set, timeout=30, what="the first worker in the middle of sending")
        assert Email.objects.get(pk=email.pk).state == "queued"  # not counted as sent while the server holds it
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        handler.release.set()
        start_process(*manage("worker", "--interval", "0.2"), env=worker_env(server.port), name="second")
        wait_until(lambda: Email.objects.get(pk=email.pk).state == "sent", timeout=60, what="delivery by the second")
    assert len(handler.received) == 1
    assert "Hej!" in handler.received[0].body  # the Swedish template
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    # The killed worker's task was put back and run to the end by the second worker.
    killed = DBTaskResult.objects.filter(task_path="background.outbox.deliver").get()
    assert killed.status == "SUCCESSFUL"
    assert len(killed.worker_ids) == 2


def test_a_scheduled_publication_emails_after_its_moment_through_the_worker(start_process):
    data = decided_cycle()
    staff = UserFactory(is_staff=True)
    moment = timezone.now() + timedelta(seconds=6)
    cycle_publish(cycle=data.cycle, by=staff, at=moment)
    handler = FlakyHandler()
    with SMTPServer(handler, free_port()) as server:
        start_process(*manage("worker", "--interval", "0.2"), env=worker_env(server.port), name="worker")
        wait_until(lambda: len(handler.received) == 2, timeout=60, what="the results e-mailed")
        arrived = timezone.now()
    assert arrived >= moment
    first_recorded = Email.objects.order_by("created_at").first().created_at
    assert first_recorded >= moment  # nothing was even recorded before the moment
    assert sorted(m.to[0] for m in handler.received) == sorted(
        [data.winner_nominator.email, data.nominee_nominator.email]
    )
