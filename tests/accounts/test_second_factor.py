"""The second factor: setting it up, passing it, recovery codes, and its enforcement for jurors, chairs and staff."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import AuditEvent
from tests.factories import UserFactory

from .conftest import totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
SETUP = "/en/accounts/two-factor/setup/"
VERIFY = "/en/accounts/two-factor/verify/"


def sign_in(client, user, password, next_url=""):
    return client.post(LOGIN, {"username": user.email, "password": password, "next": next_url})


def confirmed_device(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


@pytest.mark.parametrize("role", ["juror", "chair", "staff"])
def test_first_sign_in_of_role_asks_to_set_up_second_factor(client, request, password, role):
    user = request.getfixturevalue(role)
    user.preferred_language = "en"
    user.save()
    response = sign_in(client, user, password, next_url="/en/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    assert "next=%2Fen%2Faccounts%2Fprofile%2F" in response["Location"]


def test_nominator_without_device_signs_in_with_password_only(client, nominator, password):
    response = sign_in(client, nominator, password, next_url="/fi/accounts/profile/")
    assert response["Location"] == "/fi/accounts/profile/"
    assert client.get("/fi/accounts/profile/").status_code == 200


def test_setup_shows_qr_code_and_secret_then_confirms_with_code(client, juror, password):
    juror.preferred_language = "en"
    juror.save()
    sign_in(client, juror, password)
    response = client.get(SETUP)
    content = response.content.decode()
    device = TOTPDevice.objects.get(user=juror, confirmed=False)
    assert 'src="data:image/svg+xml' in content
    secret = services.totp_secret_base32(device)
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in content
    assert "<script>" not in content
    assert 'style="' not in content

    wrong = client.post(SETUP, {"token": "000000" if totp_code(device) != "000000" else "111111"})
    assert "The code did not match" in wrong.content.decode()
    # A wrong code makes the next try wait a moment.
    assert "Too many wrong codes" in client.post(SETUP, {"token": totp_code(device)}).content.decode()

    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        response = client.post(SETUP, {"token": totp_code(device), "next": "/en/accounts/profile/"})
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/two-factor/recovery-codes/")
    device.refresh_from_db()
    assert device.confirmed

    codes_page = client.get(response["Location"]).content.decode()
    codes = list(StaticToken.objects.filter(device__user=juror).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in codes_page for code in codes)
    # Shown once only.
    again = client.get("/en/accounts/two-factor/recovery-codes/").content.decode()
    assert not any(code in again for code in codes)
    # The session is now verified: role pages open.
    assert client.get("/en/accounts/profile/").status_code == 200


def test_sign_in_with_device_asks_for_code_and_passes_with_right_one(client, juror, password):
    juror.preferred_language = "en"
    juror.save()
    device = confirmed_device(juror)
    response = sign_in(client, juror, password, next_url="/en/accounts/profile/")
    assert response["Location"].startswith(VERIFY)
    # Before the code: the middleware sends every non-public page back to the code.
    blocked = client.get("/en/accounts/profile/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith(VERIFY)
    assert AuditEvent.objects.filter(action="permission_denied", data__reason="second_factor_required").exists()
    # Public pages stay open.
    assert client.get("/en/palkinto/").status_code == 200

    wrong = client.post(VERIFY, {"token": "12345x", "next": "/en/accounts/profile/"})
    assert "The code is not valid" in wrong.content.decode()
    key_before = client.session.session_key
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        response = client.post(VERIFY, {"token": totp_code(device), "next": "/en/accounts/profile/"})
    assert response["Location"] == "/en/accounts/profile/"
    assert client.session.session_key != key_before
    assert client.get("/en/accounts/profile/").status_code == 200


def test_recovery_code_works_once(client, chair, password):
    confirmed_device(chair)
    codes = services.recovery_codes_regenerate(user=chair)
    sign_in(client, chair, password)
    response = client.post(VERIFY, {"token": codes[0], "next": "/en/accounts/profile/"})
    assert response["Location"] == "/en/accounts/profile/"
    assert StaticToken.objects.filter(device__user=chair).count() == 9

    client.post("/en/accounts/logout/")
    sign_in(client, chair, password)
    response = client.post(VERIFY, {"token": codes[0], "next": "/en/accounts/profile/"})
    assert response.status_code == 200
    assert "The code is not valid" in response.content.decode()


def test_admin_requires_verified_staff(client, staff, password, otp_login):
    client.force_login(staff)
    response = client.get("/fi/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fi/accounts/two-factor/setup/")

    otp_login(client, staff)
    assert client.get("/fi/admin/").status_code == 200


def test_admin_refuses_verified_non_staff(client, nominator, otp_login):
    otp_login(client, nominator)
    response = client.get("/fi/admin/", follow=True)
    assert response.status_code == 403
    assert "Site administration" not in response.content.decode()
    assert AuditEvent.objects.filter(action="permission_denied", actor=nominator).exists()


def test_admin_sends_anonymous_to_the_service_sign_in(client):
    response = client.get("/fi/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/fi/accounts/login/?next=%2Ffi%2Fadmin%2F"


def test_nominator_may_enable_and_disable_second_factor(client, nominator, otp_login):
    device = confirmed_device(nominator)
    otp_login(client, nominator)
    response = client.post("/en/accounts/two-factor/disable/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_juror_cannot_disable_second_factor(client, juror, otp_login):
    otp_login(client, juror)
    response = client.post("/en/accounts/two-factor/disable/", follow=True)
    assert "Your role requires the second factor" in response.content.decode()
    assert TOTPDevice.objects.filter(user=juror, confirmed=True).exists()


def test_nominator_with_voluntary_device_must_pass_it(client, nominator, password):
    confirmed_device(nominator)
    response = sign_in(client, nominator, password, next_url="/fi/accounts/profile/")
    assert response["Location"].startswith("/fi/accounts/two-factor/verify/")
    assert client.get("/fi/accounts/profile/")["Location"].startswith("/fi/accounts/two-factor/verify/")


def test_second_factor_not_required_for_inactive_or_plain_users():
    from accounts.rules import second_factor_required  # noqa: PLC0415

    assert not second_factor_required(UserFactory())
    assert second_factor_required(UserFactory(is_staff=True))
    assert not second_factor_required(UserFactory(is_staff=True, is_active=False))


def test_second_factor_check_costs_one_query(nominator, django_assert_num_queries):
    from accounts.rules import second_factor_required  # noqa: PLC0415

    with django_assert_num_queries(1):
        assert not second_factor_required(nominator)
    confirmed_device(nominator)
    with django_assert_num_queries(1):
        assert second_factor_required(nominator)


def test_setup_offers_an_otpauth_link_and_then_leads_a_new_juror_to_the_worklist(client, password):
    from awards.models import AwardCycle  # noqa: PLC0415
    from tests.factories import AwardCycleFactory, JuryMembershipFactory  # noqa: PLC0415

    cycle = AwardCycleFactory(state=AwardCycle.State.SCORING)
    juror = JuryMembershipFactory(cycle=cycle, user__preferred_language="en").user
    sign_in(client, juror, password)
    content = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=juror, confirmed=False)
    # On a phone the QR code on the same screen cannot be scanned: the link opens the authenticator app.
    assert 'href="otpauth://totp/' in content
    assert "Open in your authenticator app" in content
    assert "aria-label" not in content.split('id="otp-key"')[0].rsplit("<code", 1)[1]
    response = client.post(SETUP, {"token": totp_code(device)})  # no next: set up from the profile or the sign-in
    assert response.status_code == 302
    codes_page = client.get(response["Location"]).content.decode()
    assert f'href="/en/tuomaristo/{cycle.year}/"' in codes_page
