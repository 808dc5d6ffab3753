"""The outbox's rules in-process: one e-mail per purpose, occasion and recipient, recorded with the change it
follows, failed with a reason, retried by staff; the cycle's page of e-mails; the timed reminders."""

import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.models import AccountRequest, AuditEvent
from accounts.services import account_request_create
from awards.models import AwardCycle, JuryMembership, Nomination
from awards.services.jury import jury_reminders_send_due
from awards.services.nominations import draft_reminders_send_due
from background import outbox, schedule
from background.models import Email
from background.workers import run_queued
from tests.factories import (
    AwardCycleFactory,
    JuryMembershipFactory,
    MembershipFactory,
    NominationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def send(key="1", to="a@example.fi", **kwargs):
    return outbox.send(to=to, purpose="test", key=key, language="en", subject="Hello", text="Body", **kwargs)


def test_the_same_email_twice_is_recorded_and_sent_once():
    first = send()
    again = send(to="A@Example.fi")
    assert first.pk == again.pk
    assert Email.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<outbox.{first.pk}.")


def test_an_email_of_a_change_that_rolls_back_is_never_recorded_nor_sent(real_queue):
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    def change_that_fails():
        with transaction.atomic():
            send()
            assert DBTaskResult.objects.count() == 1  # the delivery task is queued in the same transaction
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert Email.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    run_queued()
    assert mail.outbox == []


def test_a_template_is_rendered_in_the_recipients_language_with_its_html():
    nomination = NominationFactory(
        state=Nomination.State.SUBMITTED, reference="LST-2026-0042", submitted_at=timezone.now()
    )
    email = outbox.send(
        to="b@example.fi",
        purpose="nomination_submitted",
        key="x",
        language="sv",
        template="awards/nominations/email_submitted",
        context={"nomination": nomination, "justifications": [], "attachments": [], "url": "u", "user": None},
    )
    email.refresh_from_db()
    assert email.state == Email.State.SENT
    message = mail.outbox[0]
    assert "LST-2026-0042" in message.subject
    assert message.subject != f"Nomination received: {nomination.reference}"  # the Swedish subject
    assert message.alternatives[0].mimetype == "text/html"
    assert Email.objects.get().text == ""  # delivered: the content is not kept


@pytest.mark.parametrize(
    ("error", "state", "attempts"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.fi": (550, b"No such user")}), "failed", 1),
        (smtplib.SMTPServerDisconnected("gone"), "retrying", 1),
        (ConnectionRefusedError(111, "refused"), "retrying", 1),
        (smtplib.SMTPRecipientsRefused({"a@example.fi": (451, b"Later")}), "retrying", 1),
    ],
)
def test_a_failure_is_recorded_with_its_reason(monkeypatch, error, state, attempts):
    def refuse(self, *args, **kwargs):
        raise error

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    email = send()
    email.refresh_from_db()
    assert (email.state, email.attempts) == (state, attempts)
    assert email.last_error
    assert email.text == "Body"
    if state == "retrying":
        assert email.next_attempt_at > timezone.now()


def test_retries_stop_at_the_limit_and_then_staff_may_retry(monkeypatch, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    failing = True

    def flaky(self, messages):
        if failing:
            raise smtplib.SMTPServerDisconnected("gone")
        mail.outbox.extend(messages)
        return len(messages)

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", flaky)
    email = send()
    for _attempt in range(2):
        with time_machine.travel(Email.objects.get().next_attempt_at + timedelta(seconds=1)):
            run_queued()
    email.refresh_from_db()
    assert (email.state, email.attempts) == ("failed", 3)
    failing = False
    outbox.retry(email=email)
    email.refresh_from_db()
    assert email.state == "sent"
    assert len(mail.outbox) == 1


def test_retry_delay_doubles_up_to_the_maximum(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600
    delays = [outbox.retry_delay(n).total_seconds() for n in range(1, 9)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600]


# The cycle's page of e-mails ----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 12])
def test_notification_page_lists_each_email_with_its_state(client, otp_login, django_assert_num_queries, count):
    cycle = AwardCycleFactory()
    staff = UserFactory(is_staff=True)
    for n in range(count):
        send(key=str(n), to=f"r{n}@example.fi", about=cycle)
    Email.objects.filter(key="0").update(state=Email.State.FAILED, last_error="550 No such user")
    otp_login(client, staff)
    # (+1: the menu's roles of the signed-in user)
    with django_assert_num_queries(9):
        response = client.get(f"/en/palkinto/{cycle.year}/julkistus/ilmoitukset/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<tr>") == count + 1
    assert "550 No such user" in page
    assert page.count("Send again") == 1


def test_staff_retry_a_failed_email_and_it_is_audited(client, otp_login):
    cycle = AwardCycleFactory()
    staff = UserFactory(is_staff=True)
    email = send(about=cycle)
    Email.objects.filter(pk=email.pk).update(state=Email.State.FAILED, last_error="550")
    mail.outbox.clear()
    otp_login(client, staff)
    response = client.post(f"/en/palkinto/{cycle.year}/julkistus/ilmoitukset/{email.pk}/uudelleen/")
    assert response.status_code == 302
    assert Email.objects.get(pk=email.pk).state == "sent"
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="email.retried", target_id=str(email.pk), actor=staff).exists()


def test_an_email_of_another_cycle_cannot_be_retried_from_this_one(client, otp_login):
    cycle, other = AwardCycleFactory(), AwardCycleFactory()
    email = send(about=other)
    otp_login(client, UserFactory(is_staff=True))
    assert client.post(f"/en/palkinto/{cycle.year}/julkistus/ilmoitukset/{email.pk}/uudelleen/").status_code == 404


def test_nominator_cannot_see_the_emails_page(client):
    cycle = AwardCycleFactory()
    nominator = MembershipFactory().user
    client.force_login(nominator)
    response = client.get(f"/en/palkinto/{cycle.year}/julkistus/ilmoitukset/")
    assert response.status_code in {302, 404}


# Timed e-mails ------------------------------------------------------------------------------------------------


def test_account_request_sends_a_receipt_and_tells_staff_how_many_wait():
    staff_fi = UserFactory(is_staff=True, preferred_language="fi")
    staff_en = UserFactory(is_staff=True, preferred_language="en")
    UserFactory(is_staff=True, is_active=False)
    data = dict(first_name="Riikka", last_name="R", email="riikka@kunta.fi", organisation_name="Kunta")
    account_request_create(data=data, language="sv")
    account_request_create(data={**data, "email": "toinen@kunta.fi"}, language="fi")
    assert AccountRequest.objects.filter(state="pending").count() == 2
    by_recipient = {}
    for message in mail.outbox:
        by_recipient.setdefault(message.to[0], []).append(message)
    assert len(by_recipient["riikka@kunta.fi"]) == 1
    assert "Kunta" in by_recipient["riikka@kunta.fi"][0].body
    assert "Hej!" in by_recipient["riikka@kunta.fi"][0].body  # the language of the request
    assert [m.subject for m in by_recipient[staff_en.email]] == [
        "New account request (1 waiting)",
        "New account request (2 waiting)",
    ]
    assert "2 account requests are waiting" in by_recipient[staff_en.email][1].body
    assert len(by_recipient[staff_fi.email]) == 2
    assert "waiting" not in by_recipient[staff_fi.email][0].subject  # Finnish
    assert len(mail.outbox) == 6  # two receipts and two notices to each active staff member
    assert all("riikka" not in m.body for m in by_recipient[staff_en.email])  # no personal data to staff


def _open_cycle(close_in: timedelta) -> AwardCycle:
    now = timezone.now()
    return AwardCycleFactory(
        state=AwardCycle.State.OPEN, nominations_open_at=now - timedelta(days=30), nominations_close_at=now + close_in
    )


def test_draft_owner_is_reminded_seven_days_and_one_day_before_the_deadline_once_each():
    cycle = _open_cycle(timedelta(days=10))
    owner = UserFactory(preferred_language="sv")
    draft = NominationFactory(cycle=cycle, created_by=owner, state=Nomination.State.DRAFT, name="Utkast")
    now = timezone.now()
    NominationFactory(cycle=cycle, created_by=UserFactory(), state=Nomination.State.SUBMITTED, submitted_at=now)
    assert draft_reminders_send_due(now) == 0
    week_before = cycle.nominations_close_at - timedelta(days=7) + timedelta(minutes=1)
    assert draft_reminders_send_due(week_before) == 1
    draft_reminders_send_due(week_before + timedelta(hours=1))  # the due work runs again: nothing new
    day_before = cycle.nominations_close_at - timedelta(days=1) + timedelta(minutes=1)
    draft_reminders_send_due(day_before)
    draft_reminders_send_due(day_before + timedelta(minutes=15))
    assert [m.to for m in mail.outbox] == [[owner.email], [owner.email]]
    assert "Utkast" in mail.outbox[0].subject
    assert f"/sv/ehdotukset/{draft.pk}/muokkaa/" in mail.outbox[0].body
    # After the deadline nothing more is sent.
    assert draft_reminders_send_due(cycle.nominations_close_at + timedelta(minutes=1)) == 0


def test_jurors_with_unfinished_reviews_are_reminded_before_the_jury_closes():
    now = timezone.now()
    cycle = AwardCycleFactory(
        state=AwardCycle.State.SCORING, jury_opens_at=now - timedelta(days=10), jury_closes_at=now + timedelta(days=3)
    )
    NominationFactory(cycle=cycle, state=Nomination.State.SUBMITTED, eligibility="eligible", submitted_at=now)
    juror = JuryMembershipFactory(cycle=cycle, role=JuryMembership.Role.JUROR, user__preferred_language="en").user
    sent = jury_reminders_send_due(now)
    jury_reminders_send_due(now + timedelta(minutes=15))
    assert sent == 1
    assert [m.to for m in mail.outbox] == [[juror.email]]
    assert "1 nomination left to review" in mail.outbox[0].body


def test_due_work_runs_each_registered_function_when_due_and_survives_one_failing():
    calls = []

    def good(now):
        calls.append(now)
        return 3

    def bad(now):
        raise ValueError("broken")

    schedule.register("test.good", good, every=timedelta(minutes=5))
    schedule.register("test.bad", bad, every=timedelta(minutes=5))
    try:
        now = timezone.now()
        results = schedule.run_due(now)
        assert results["test.good"] == 3
        schedule.run_due(now + timedelta(minutes=1))  # not due yet
        schedule.run_due(now + timedelta(minutes=6))
        assert len(calls) == 2
        from background.models import DueWork  # noqa: PLC0415

        assert "broken" in DueWork.objects.get(name="test.bad").last_error
    finally:
        schedule._REGISTRY.pop("test.good")
        schedule._REGISTRY.pop("test.bad")


def test_finished_tasks_are_forgotten_after_a_week(real_queue):
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    from background.workers import prune_finished_tasks  # noqa: PLC0415

    send()
    run_queued()
    assert DBTaskResult.objects.successful().count() == 1
    assert prune_finished_tasks(timezone.now() + timedelta(days=6)) == 0
    assert prune_finished_tasks(timezone.now() + timedelta(days=8)) == 1
    assert not DBTaskResult.objects.exists()
