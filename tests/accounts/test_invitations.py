"""Invitations by the organisers, and account requests by would-be nominators."""

import json
import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from accounts import services
from accounts.models import AccountRequest, AuditEvent, Invitation, OrganisationMembership, User
from awards.models import JuryMembership
from tests.factories import AwardCycleFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kutsun-salasana-2026"


def token_in(body: str) -> str:
    """The invitation's code: after the '#' of the link, where no server ever sees it."""
    return re.search(r"/accounts/invitation/#(\S+)", body)[1]


def open_invitation(client, body: str) -> str:
    """Do what the page's script does with the link: post its code. Returns the invitation's page."""
    page = re.search(r"https?://[^/]+(/\S+/accounts/invitation/)#", body)[1]
    response = client.post(page, {"token": token_in(body)})
    assert response.status_code == 302, response.content.decode()
    return response["Location"]


def invite(staff, *, client, django_capture_on_commit_callbacks, **kwargs) -> tuple[Invitation, str]:
    """Send an invitation, open its link in `client`, and return it with the path of the invitation's page."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(by=staff, **kwargs)
    return invitation, open_invitation(client, mail.outbox[-1].body)


def accept_form(**extra):
    return {
        "first_name": "Kaisa",
        "last_name": "Kutsuttu",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **extra,
    }


def test_staff_sends_invitation_from_staff_page(client, staff, otp_login, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    otp_login(client, staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/accounts/staff/invitations/",
            {"email": "New.Person@Example.fi", "role": "nominator", "organisation": organisation.pk, "language": "sv"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.fi"
    assert invitation.invited_by == staff
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.fi"]
    assert "/sv/accounts/invitation/" in mail.outbox[0].body
    # Only a hash of the token is stored.
    token = token_in(mail.outbox[0].body)
    assert token not in invitation.token_hash
    assert invitation.token_hash == services.hash_token(token)
    assert AuditEvent.objects.filter(action="invitation_sent", target_id=str(invitation.pk)).exists()


def test_invitation_form_requires_organisation_for_nominator(client, staff, otp_login):
    otp_login(client, staff)
    response = client.post("/en/accounts/staff/invitations/", {"email": "a@example.fi", "role": "nominator"})
    assert response.status_code == 200
    assert "Choose the organisation the nominator acts for." in response.content.decode()
    assert 'value="a@example.fi"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_non_staff_cannot_send_invitations(client, juror, otp_login):
    otp_login(client, juror)
    response = client.post("/en/accounts/staff/invitations/", {"email": "a@example.fi", "role": "staff"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ["juror", "chair"])
def test_accepting_jury_invitation_creates_account_and_grants_role(
    client, staff, role, django_capture_on_commit_callbacks
):
    cycle = AwardCycleFactory()
    invitation, path = invite(
        staff,
        client=client,
        email="jury@example.fi",
        role=role,
        scope=cycle,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    page = client.get(path)
    assert page.status_code == 200
    assert 'autocomplete="new-password"' in page.content.decode()
    response = client.post(path, accept_form())
    assert response.status_code == 302
    # A jury member signs in and must set up the second factor next.
    assert "/accounts/two-factor/setup/" in response["Location"]
    user = User.objects.get(email="jury@example.fi")
    assert user.check_password(NEW_PASSWORD)
    assert user.first_name == "Kaisa"
    assert JuryMembership.objects.get(user=user, cycle=cycle).role == role
    assert client.session["_auth_user_id"] == str(user.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.accepted_by == user
    assert AuditEvent.objects.filter(action="invitation_accepted", actor=user).exists()
    assert AuditEvent.objects.filter(action="role_granted", target_id=str(user.pk), data__role=role).exists()


def test_accepting_staff_invitation_grants_staff(client, staff, django_capture_on_commit_callbacks):
    _invitation, path = invite(
        staff,
        client=client,
        email="org@example.fi",
        role="staff",
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    client.post(path, accept_form())
    user = User.objects.get(email="org@example.fi")
    assert user.is_staff
    assert not user.is_superuser
    assert AuditEvent.objects.filter(action="role_granted", target_id=str(user.pk), data__role="staff").exists()


def test_invitation_refuses_weak_password_and_keeps_name(client, staff, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    _invitation, path = invite(
        staff,
        client=client,
        email="n@example.fi",
        role="nominator",
        organisation=organisation,
        language="en",
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    response = client.post(path, accept_form(password1="short", password2="short"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "This password is too short" in content
    assert 'value="Kaisa"' in content
    assert not User.objects.filter(email="n@example.fi").exists()


def test_expired_invitation_grants_nothing(client, staff, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    _invitation, path = invite(
        staff,
        client=client,
        email="late@example.fi",
        role="nominator",
        organisation=organisation,
        language="en",
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    body = mail.outbox[-1].body
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        # The session in which it was opened has long ended; the link, opened again, says why it cannot be used.
        assert client.get(path).status_code == 302
        response = client.post("/en/accounts/invitation/", {"token": token_in(body)})
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert not User.objects.filter(email="late@example.fi").exists()
    assert not OrganisationMembership.objects.filter(organisation=organisation).exists()


def test_used_invitation_cannot_be_reused(client, staff, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    _invitation, path = invite(
        staff,
        client=client,
        email="once@example.fi",
        role="nominator",
        organisation=organisation,
        language="en",
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    client.post(path, accept_form())
    client.post("/en/accounts/logout/")
    response = client.post("/en/accounts/invitation/", {"token": token_in(mail.outbox[-1].body)})
    assert response.status_code == 410
    assert "already been accepted" in response.content.decode()
    user = User.objects.get(email="once@example.fi")
    assert user.first_name == "Kaisa"
    assert user.check_password(NEW_PASSWORD)


def test_unknown_invitation_link_says_so(client):
    response = client.post("/en/accounts/invitation/", {"token": "made-up-token"})
    assert response.status_code == 410
    assert "This invitation link is not valid" in response.content.decode()


def test_invitation_page_without_an_opened_invitation_asks_for_the_code(client):
    response = client.get("/en/accounts/invitation/accept/", follow=True)
    assert response.redirect_chain[-1][0] == "/en/accounts/invitation/"
    assert "Invitation code" in response.content.decode()


def test_invitation_token_is_never_in_an_address_the_server_sees(client, staff, django_capture_on_commit_callbacks):
    """Browsers do not send the part after '#': the token reaches the server only in a POST body, so it is in no
    access log, Referer or browser history."""
    invitation, path = invite(
        staff,
        client=client,
        email="quiet@example.fi",
        role="staff",
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    token = token_in(mail.outbox[-1].body)
    link = re.search(r"https?://\S+", mail.outbox[-1].body)[0]
    assert link.split("#", 1)[0].endswith("/accounts/invitation/")
    assert token not in path
    page = client.get(path)
    assert page.status_code == 200
    assert token not in page.content.decode()
    assert token not in json.dumps(dict(client.session))  # only the hash is kept
    assert client.session["accounts_invitation"] == invitation.token_hash


def test_existing_user_accepts_by_signing_in_as_invitee(client, staff, nominator, django_capture_on_commit_callbacks):
    cycle = AwardCycleFactory()
    _invitation, path = invite(
        staff,
        client=client,
        email=nominator.email.upper(),
        role="juror",
        scope=cycle,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    # Not signed in: asked to sign in, nothing granted by a POST.
    assert "Sign in with it to accept the invitation" in client.get(path.replace("/fi/", "/en/")).content.decode()
    assert client.post(path).status_code == 403
    other = UserFactory()
    client.force_login(other)
    assert client.post(path).status_code == 403
    assert not JuryMembership.objects.filter(cycle=cycle).exists()

    client.force_login(nominator)  # another person's sign-in in this browser ended that session: open again
    path = open_invitation(client, mail.outbox[-1].body)
    response = client.post(path)
    assert response.status_code == 302
    assert JuryMembership.objects.filter(cycle=cycle, user=nominator).exists()


@pytest.mark.django_db(transaction=True)
def test_invitation_accepted_twice_at_once_grants_once(django_capture_on_commit_callbacks):
    staff = UserFactory(is_staff=True)
    organisation = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(by=staff, email="race@example.fi", role="nominator", organisation=organisation)
    token = token_in(mail.outbox[-1].body)
    results, barrier = [], threading.Barrier(2)

    def accept():
        barrier.wait()
        try:
            services.invitation_accept(token=token, first_name="A", last_name="B", password=NEW_PASSWORD)
            results.append("ok")
        except services.InvitationInvalidError as invalid:
            results.append(invalid.reason)
        except Exception as error:  # report anything else in the assertion
            results.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "used"]
    assert User.objects.filter(email="race@example.fi").count() == 1
    assert OrganisationMembership.objects.filter(organisation=organisation).count() == 1


def test_account_request_then_staff_approves(client, staff, otp_login, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(name="Imatran kaupunki")
    response = client.post(
        "/en/accounts/request/",
        {
            "first_name": "Riikka",
            "last_name": "Pyytäjä",
            "email": "Riikka@Imatra.fi",
            "title": "Johtava sosiaalityöntekijä",
            "organisation": organisation.pk,
        },
    )
    assert response.status_code == 302
    account_request = AccountRequest.objects.get()
    assert account_request.email == "riikka@imatra.fi"
    assert account_request.language == "en"

    otp_login(client, staff)
    listing = client.get("/en/accounts/staff/account-requests/")
    assert "Riikka" in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/accounts/staff/account-requests/{account_request.pk}/decide/",
            {f"r{account_request.pk}-decision": "approve", f"r{account_request.pk}-organisation": organisation.pk},
        )
    assert response.status_code == 302
    user = User.objects.get(email="riikka@imatra.fi")
    assert not user.has_usable_password()
    assert user.title == "Johtava sosiaalityöntekijä"
    assert OrganisationMembership.objects.get(user=user).organisation == organisation
    account_request.refresh_from_db()
    assert account_request.state == AccountRequest.State.APPROVED
    assert account_request.decided_by == staff
    assert mail.outbox[-1].to == ["riikka@imatra.fi"]
    assert "/en/accounts/password/reset/" in mail.outbox[-1].body

    # The link in the e-mail sets the password.
    client.post("/en/accounts/logout/")
    path = re.search(r"https?://[^/]+(/\S+)", mail.outbox[-1].body)[1]
    form_page = client.get(path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_account_request_with_typed_organisation_needs_one_chosen_to_approve(client, staff, otp_login):
    account_request = AccountRequest.objects.create(
        first_name="T", last_name="U", email="t@example.fi", organisation_name="Uusi kuntayhtymä"
    )
    otp_login(client, staff)
    response = client.post(
        f"/en/accounts/staff/account-requests/{account_request.pk}/decide/",
        {f"r{account_request.pk}-decision": "approve"},
        follow=True,
    )
    assert "Choose the organisation the new nominator acts for." in response.content.decode()
    account_request.refresh_from_db()
    assert account_request.state == AccountRequest.State.PENDING
    assert not User.objects.filter(email="t@example.fi").exists()


def test_account_request_rejected_sends_mail_and_grants_nothing(
    client, staff, otp_login, django_capture_on_commit_callbacks
):
    account_request = AccountRequest.objects.create(
        first_name="T", last_name="U", email="t@example.fi", organisation_name="X"
    )
    otp_login(client, staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/en/accounts/staff/account-requests/{account_request.pk}/decide/",
            {f"r{account_request.pk}-decision": "reject"},
        )
    account_request.refresh_from_db()
    assert account_request.state == AccountRequest.State.REJECTED
    assert not User.objects.filter(email="t@example.fi").exists()
    assert mail.outbox[-1].to == ["t@example.fi"]


def test_account_request_needs_an_organisation_and_refuses_duplicates(client):
    data = {"first_name": "A", "last_name": "B", "email": "dup@example.fi"}
    response = client.post("/en/accounts/request/", data)
    assert "Choose your organisation from the list, or type its name below." in response.content.decode()
    client.post("/en/accounts/request/", {**data, "organisation_name": "Jokin kunta"})
    response = client.post("/en/accounts/request/", {**data, "email": "DUP@example.fi", "organisation_name": "Jokin"})
    assert "already waiting" in response.content.decode()
    assert AccountRequest.objects.count() == 1


def test_invitation_email_uses_existing_persons_language(client, staff, otp_login, django_capture_on_commit_callbacks):
    UserFactory(email="known@example.fi", preferred_language="en")
    cycle = AwardCycleFactory()
    otp_login(client, staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/fi/accounts/staff/invitations/", {"email": "known@example.fi", "role": "juror", "cycle": cycle.pk}
        )
    invitation = Invitation.objects.get()
    assert invitation.language == "en"
    assert "/en/accounts/invitation/" in mail.outbox[0].body


def test_account_request_approved_with_new_organisation(client, staff, otp_login, django_capture_on_commit_callbacks):
    account_request = AccountRequest.objects.create(
        first_name="T", last_name="U", email="t@example.fi", organisation_name="Uusi kuntayhtymä"
    )
    otp_login(client, staff)
    prefix = f"r{account_request.pk}"
    url = f"/en/accounts/staff/account-requests/{account_request.pk}/decide/"
    response = client.post(url, {f"{prefix}-decision": "approve_new"}, follow=True)
    assert "Choose the type of the new organisation." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {f"{prefix}-decision": "approve_new", f"{prefix}-new_organisation_kind": "joint_authority"})
    membership = OrganisationMembership.objects.get(user__email="t@example.fi")
    assert membership.organisation.name == "Uusi kuntayhtymä"
    assert membership.organisation.kind == "joint_authority"
    assert membership.can_nominate


def test_account_request_decided_once(staff):
    account_request = AccountRequest.objects.create(first_name="T", last_name="U", email="t@example.fi")
    services.account_request_reject(account_request=account_request, by=staff)
    with pytest.raises(ValidationError):
        services.account_request_approve(account_request=account_request, by=staff, organisation=OrganisationFactory())
    assert not User.objects.filter(email="t@example.fi").exists()
