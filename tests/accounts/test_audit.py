"""Security events reach the audit table and the log, and secrets never do."""

import json
import logging
import re

import pytest
from django.core import mail

from accounts import services
from accounts.models import AuditEvent, OrganisationMembership
from tests.factories import JuryMembershipFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def audit_log():
    handler = Collect()
    logger = logging.getLogger("audit")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_sign_in_events_are_audited_without_secrets(client, nominator, password, audit_log):
    AuditEvent.objects.all().delete()  # the fixture's role grant
    wrong = "Vaara-salasana-987654"
    client.post("/en/accounts/login/", {"username": nominator.email, "password": wrong})
    client.post("/en/accounts/login/", {"username": nominator.email, "password": password})
    session_key = client.session.session_key
    new = "Vaihdettu-salasana-2026"
    client.post(
        "/en/accounts/password/change/",
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    changed_key = client.session.session_key
    client.post("/en/accounts/logout/")
    assert actions() == ["sign_in_failed", "sign_in", "password_changed", "sign_out"]
    failed = AuditEvent.objects.get(action="sign_in_failed")
    assert failed.data == {"email": nominator.email}
    assert failed.ip_address == "127.0.0.1"
    assert AuditEvent.objects.get(action="sign_in").actor == nominator

    stored = json.dumps(list(AuditEvent.objects.values("data", "target_id"))) + "\n".join(audit_log)
    for secret in (wrong, password, new, session_key, changed_key):
        assert secret not in stored
    assert len(audit_log) == 4


def test_invitation_events_are_audited_without_token(client, staff, audit_log, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(by=staff, email="a@example.fi", role="nominator", organisation=organisation)
    token = re.search(r"/accounts/invitation/#(\S+)", mail.outbox[0].body)[1]
    secret = "Kutsun-salasana-2026"
    services.invitation_accept(token=token, first_name="A", last_name="B", password=secret)
    assert {"invitation_sent", "invitation_accepted", "role_granted"} <= set(actions())
    stored = json.dumps(list(AuditEvent.objects.values("data"))) + "\n".join(audit_log)
    assert token not in stored
    assert services.hash_token(token) not in stored
    assert secret not in stored


def test_audit_drops_secret_keys_whatever_the_caller_passes(audit_log):
    from accounts.audit import audit  # noqa: PLC0415

    event = audit("test", password="p", token="t", session_key="s", otp_token="o", note="kept")
    assert event.data == {"note": "kept"}
    # The log line names the details kept, never their values: those may be personal data.
    assert audit_log[-1] == "test actor=- target=-:- details=note"


def test_role_changes_are_audited():
    user = UserFactory()
    membership = MembershipFactory(user=user)
    jury = JuryMembershipFactory(user=user)
    user.is_staff = True
    user.save()
    user.is_staff = False
    user.save()
    membership.delete()
    jury.delete()
    events = list(AuditEvent.objects.filter(target_id=str(user.pk)).order_by("id").values_list("action", "data__role"))
    assert events == [
        ("role_granted", "organisation_member"),
        ("role_granted", "juror"),
        ("role_granted", "staff"),
        ("role_revoked", "staff"),
        ("role_revoked", "organisation_member"),
        ("role_revoked", "juror"),
    ]
    assert not OrganisationMembership.objects.filter(user=user).exists()


def test_permission_denied_is_audited(client, nominator):
    client.force_login(nominator)
    response = client.get("/en/accounts/staff/invitations/?token=abc")
    assert response.status_code == 403
    assert "No access" in response.content.decode()
    event = AuditEvent.objects.get(action="permission_denied")
    assert event.actor == nominator
    assert event.data == {"path": "/en/accounts/staff/invitations/", "method": "GET"}


def test_lockout_is_audited(client, nominator):
    for _attempt in range(5):
        client.post("/en/accounts/login/", {"username": nominator.email, "password": "wrong-password-123"})
    assert AuditEvent.objects.filter(action="lockout", data__email=nominator.email).count() == 1


def test_audited_path_hides_tokens_in_links(rf):
    from django.urls import resolve  # noqa: PLC0415
    from django.utils import translation  # noqa: PLC0415

    from accounts.audit import safe_path  # noqa: PLC0415

    request = rf.get("/fi/accounts/password/reset/MQ/abc-secret-token/")
    with translation.override("fi"):
        request.resolver_match = resolve(request.path)
    assert safe_path(request) == "/fi/accounts/password/reset/<uidb64>/<token>/"
