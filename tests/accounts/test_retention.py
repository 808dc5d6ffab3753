"""Retention periods: with the clock moved past them, the queue's run removes or anonymises what is old, keeps
the prize's history and what is recent, and the audit log records the run with its counts."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts import retention
from accounts.models import AccountRequest, AuditEvent, Invitation, RetentionPeriod
from awards.models import Nomination, Review
from awards.services.publication import cycle_publish
from background import outbox, schedule
from background.models import Email
from tests.factories import decided_cycle
from tests.factories.jury import ReviewFactory

pytestmark = pytest.mark.django_db


def test_retention_run_with_the_clock_moved_forward(staff):
    data = decided_cycle()
    cycle_publish(cycle=data.cycle, by=staff)
    ReviewFactory(nomination=data.winner, overall_comment="Hyvä.")
    ReviewFactory(nomination=data.nominee, overall_comment="Heikompi.")
    now = timezone.now()
    old_request = AccountRequest.objects.create(
        first_name="A",
        last_name="B",
        email="old@example.fi",
        organisation_name="X",
        state=AccountRequest.State.REJECTED,
        decided_at=now,
    )
    Invitation.objects.create(
        email="never@example.fi", role="staff", token_hash="x" * 64, expires_at=now + timedelta(days=14)
    )
    outbox.send(to="a@example.fi", purpose="test", key="old", language="fi", subject="S", text="T")

    with time_machine.travel(now + timedelta(days=400), tick=False):
        # Recent records of that later day are kept.
        fresh = AccountRequest.objects.create(
            first_name="C", last_name="D", email="new@example.fi", organisation_name="Y"
        )
        counts = retention.retention_apply()
    assert counts["account_requests"] == 1
    assert counts["expired_invitations"] == 1
    assert counts["emails"] == 3  # the two results and the test e-mail, all delivered long ago
    assert not Email.objects.exists()
    assert not AccountRequest.objects.filter(pk=old_request.pk).exists()
    assert AccountRequest.objects.filter(pk=fresh.pk).exists()
    assert not Invitation.objects.filter(email="never@example.fi").exists()
    assert counts["nomination_contacts"] == 0  # five years have not passed yet
    assert Review.objects.count() == 2

    with time_machine.travel(now + timedelta(days=5 * 365 + 2), tick=False):
        counts = retention.retention_apply()
    assert counts["nomination_contacts"] == 2  # the two nominations that won nothing
    assert counts["jury_reviews"] == 2
    assert not Review.objects.exists()
    winner = Nomination.objects.get(pk=data.winner.pk)
    mention = Nomination.objects.get(pk=data.mention.pk)
    nominee = Nomination.objects.get(pk=data.nominee.pk)
    assert winner.contact_email  # the prize's history is kept
    assert mention.contact_email
    assert (nominee.contact_name, nominee.contact_email, nominee.contact_phone) == ("", "", "")
    runs = AuditEvent.objects.filter(action="retention.applied").order_by("created_at")
    assert runs.count() == 2
    assert runs.last().data["jury_reviews"] == 2


def test_staff_set_a_period_and_it_is_audited_and_applied(client, staff, otp_login):
    otp_login(client, staff)
    page = client.get("/en/accounts/staff/retention/")
    assert "Account requests, after their decision" in page.content.decode()
    fields = {kind.name: days for kind, days in retention.periods()}
    response = client.post("/en/accounts/staff/retention/", {**fields, "account_requests": 60})
    assert response.status_code == 302
    assert RetentionPeriod.objects.get(kind="account_requests").days == 60
    assert AuditEvent.objects.filter(action="retention.period_set", actor=staff, data__days=60).exists()
    request = AccountRequest.objects.create(
        first_name="A",
        last_name="B",
        email="x@example.fi",
        organisation_name="X",
        state=AccountRequest.State.APPROVED,
        decided_at=timezone.now(),
    )
    with time_machine.travel(timezone.now() + timedelta(days=61)):
        retention.retention_apply()
    assert not AccountRequest.objects.filter(pk=request.pk).exists()


def test_a_period_shorter_than_a_month_is_refused(client, staff, otp_login):
    otp_login(client, staff)
    fields = {kind.name: days for kind, days in retention.periods()}
    response = client.post("/en/accounts/staff/retention/", {**fields, "jury_reviews": 5})
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 30" in response.content.decode()
    assert not RetentionPeriod.objects.exists()


def test_nominator_cannot_set_periods(client, nominator):
    client.force_login(nominator)
    assert client.get("/en/accounts/staff/retention/").status_code in {302, 403, 404}


def test_privacy_notice_states_the_periods_in_force(client):
    RetentionPeriod.objects.create(kind="jury_reviews", days=1000)
    page = client.get("/en/tietosuoja/").content.decode()
    assert "Jurors&#x27; individual scores and comments, after the publication: 1000 days" in page
    assert "Account requests, after their decision: 365 days" in page


def test_retention_is_due_work_of_the_queue():
    assert "accounts.retention" in {job.name for job in schedule.jobs()}
