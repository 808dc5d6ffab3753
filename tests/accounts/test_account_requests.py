"""Account requests as staff work them: pending first, a second person from the same new organisation, and the
approval e-mail."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts import services
from accounts.models import AccountRequest, OrganisationMembership
from practices.models import Organisation

pytestmark = pytest.mark.django_db


def make_request(email, organisation_name="Uusi kuntayhtymä", **fields):
    return AccountRequest.objects.create(
        first_name=fields.pop("first_name", "Tiina"),
        last_name="Tekijä",
        email=email,
        organisation_name=organisation_name,
        **fields,
    )


def test_second_person_of_the_same_new_organisation_is_approved_into_it(
    client, staff, otp_login, django_capture_on_commit_callbacks
):
    first = make_request("eka@example.fi")
    second = make_request("toka@example.fi", organisation_name="  uusi  Kuntayhtymä ")
    otp_login(client, staff)
    for account_request in (first, second):
        prefix = f"r{account_request.pk}"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/en/accounts/staff/account-requests/{account_request.pk}/decide/",
                {f"{prefix}-decision": "approve_new", f"{prefix}-new_organisation_kind": "joint_authority"},
            )
        assert response.status_code == 302
    assert Organisation.objects.filter(name__iexact="Uusi kuntayhtymä").count() == 1
    organisation = Organisation.objects.get(name__iexact="Uusi kuntayhtymä")
    members = set(
        OrganisationMembership.objects.filter(organisation=organisation).values_list("user__email", flat=True)
    )
    assert members == {"eka@example.fi", "toka@example.fi"}
    assert AccountRequest.objects.filter(state=AccountRequest.State.APPROVED).count() == 2


def test_pending_requests_sort_first_oldest_first(client, staff, otp_login):
    now = timezone.now()
    decided = make_request("decided@example.fi", created_at=now)
    services.account_request_reject(account_request=decided, by=staff)
    make_request("old@example.fi", created_at=now - timedelta(days=3))
    make_request("new@example.fi", created_at=now - timedelta(days=1))
    otp_login(client, staff)
    body = client.get("/en/accounts/staff/account-requests/").content.decode()
    assert body.index("old@example.fi") < body.index("new@example.fi") < body.index("decided@example.fi")


@time_machine.travel("2026-03-02 10:00 +0200", tick=False)
def test_approval_email_greets_by_name_and_says_when_the_link_expires(staff, django_capture_on_commit_callbacks):
    account_request = make_request("tiina@example.fi", first_name="Tiina", language="fi")
    organisation = Organisation.objects.create(name="Testikunta", kind="municipality")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.account_request_approve(account_request=account_request, by=staff, organisation=organisation)
    (message,) = mail.outbox
    assert message.body.startswith("Hei Tiina,")
    # Django's password-reset links last PASSWORD_RESET_TIMEOUT (3 days): until 5.3.2026 at 10.00 Finnish time.
    assert "5.3.2026" in message.body
    assert "10.00" in message.body
