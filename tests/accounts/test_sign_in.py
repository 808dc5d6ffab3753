"""Signing in and out, sessions, passwords and the lockout after repeated failures."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"


def sign_in(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def test_sign_in_email_is_case_insensitive(client, nominator, password):
    response = sign_in(client, "  NOMINATOR@Example.FI ", password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(nominator.pk)


def test_sign_in_redirects_into_preferred_language(client, password):
    user = UserFactory(preferred_language="sv")
    response = sign_in(client, user.email, password, next="/fi/palkinto/")
    assert response.status_code == 302
    assert response["Location"] == "/sv/palkinto/"
    assert response.cookies["django_language"].value == "sv"


def test_sign_in_without_next_lands_by_role_in_preferred_language(client, password):
    # Without a role yet, a person starts at "Your nominations", which tells how to get nominating rights.
    user = UserFactory(preferred_language="en")
    response = sign_in(client, user.email, password)
    assert response["Location"] == "/en/ehdotukset/"


def test_sign_in_jury_member_lands_on_the_worklist_and_staff_on_the_cycles(client, password):
    from awards.models import AwardCycle  # noqa: PLC0415
    from tests.factories import AwardCycleFactory, JuryMembershipFactory  # noqa: PLC0415

    cycle = AwardCycleFactory(state=AwardCycle.State.SCORING)
    juror = JuryMembershipFactory(cycle=cycle, user=UserFactory(preferred_language="sv")).user
    response = sign_in(client, juror.email, password)
    # The juror must pass the second factor first; then the worklist of the cycle being scored.
    assert f"next=%2Fsv%2Ftuomaristo%2F{cycle.year}%2F" in response["Location"]
    client.logout()
    staff = UserFactory(is_staff=True, preferred_language="fi")
    response = sign_in(client, staff.email, password)
    assert "next=%2Ffi%2Fhenkilokunta%2Fkierrokset%2F" in response["Location"]


def test_sign_in_refuses_offsite_next(client, nominator, password):
    response = sign_in(client, nominator.email, password, next="https://evil.example/")
    assert response["Location"] == "/fi/ehdotukset/"


def test_sign_in_wrong_password_shows_message_and_keeps_email(client, nominator):
    response = sign_in(client, nominator.email, "wrong-password-123")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    content = response.content.decode()
    assert "The e-mail address or the password is wrong" in content
    assert 'value="nominator@example.fi"' in content
    assert 'autocomplete="current-password"' in content
    assert 'autocomplete="username"' in content


def test_sign_in_gives_a_new_session_key(client, nominator, password):
    client.get(LOGIN)
    session = client.session
    session["anonymous_marker"] = "x"
    session.save()
    before = session.session_key
    sign_in(client, nominator.email, password)
    after = client.session.session_key
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_sign_out_ends_session_on_server(client, nominator, password):
    sign_in(client, nominator.email, password)
    key = client.session.session_key
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    # The old cookie no longer opens a signed-in page.
    client.cookies["sessionid"] = key
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_sign_out_by_get_is_refused(client, nominator):
    client.force_login(nominator)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session


def test_password_change_ends_other_sessions_keeps_current(client, nominator, password):
    from django.test import Client  # noqa: PLC0415

    other = Client()
    other.force_login(nominator)
    assert other.get("/fi/accounts/profile/").status_code == 200
    client.force_login(nominator)
    new = "Uusi-pitka-salasana-2026"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    nominator.refresh_from_db()
    assert nominator.check_password(new)
    assert client.get("/fi/accounts/profile/").status_code == 200
    assert other.get("/fi/accounts/profile/").status_code == 302


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("Lyhyt-2026", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("739184650273", "This password is entirely numeric."),
    ],
)
def test_password_change_refuses_weak_password(client, nominator, password, new, message):
    client.force_login(nominator)
    response = client.post(
        "/en/accounts/password/change/",
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    nominator.refresh_from_db()
    assert nominator.check_password(password)


def test_password_is_hashed_with_argon2(settings):
    from config import settings as project_settings  # noqa: PLC0415

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = UserFactory()
    assert user.password.startswith("argon2$")


def test_password_reset_sends_link_that_sets_password(client, nominator):
    response = client.post(reverse("accounts:password_reset"), {"email": "Nominator@example.fi"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nominator@example.fi"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    new = "Toinen-pitka-salasana-2026"
    response = client.post(response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    nominator.refresh_from_db()
    assert nominator.check_password(new)


def test_password_reset_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post("/en/accounts/password/reset/", {"email": "nobody@example.fi"}, follow=True)
    assert "Check your e-mail" in response.content.decode()
    assert mail.outbox == []


def test_lockout_after_five_failures_and_unlock_after_cooloff(client, nominator, password):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _attempt in range(5):
            sign_in(client, nominator.email, "wrong-password-123")
        response = sign_in(client, nominator.email, password)
        assert response.status_code == 429
        content = response.content.decode()
        assert "Signing in is blocked for a while" in content
        assert "You can try again in 15 minutes." in content
        assert "_auth_user_id" not in client.session
        assert AuditEvent.objects.filter(action="lockout", data__email="nominator@example.fi").exists()
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        # Still locked; an attempt while locked, wrong or right, does not start the cool-off again.
        assert sign_in(client, nominator.email, "wrong-password-123").status_code == 429
        assert sign_in(client, nominator.email, password).status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = sign_in(client, nominator.email, password)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(nominator.pk)


def test_lockout_counts_an_address_whatever_its_letter_case(client, nominator, password):
    variants = ["Nominator@example.fi", "NOMINATOR@example.fi", "nominator@EXAMPLE.fi", "nOminator@example.fi"]
    for variant in [*variants, "nominator@example.FI"]:
        client.post(LOGIN, {"username": variant, "password": "wrong-1234567"}, REMOTE_ADDR="10.0.0.1")
    response = client.post(LOGIN, {"username": nominator.email, "password": password}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429


def test_session_ends_after_idle_timeout(client, nominator, settings):
    client.force_login(nominator)
    assert client.get("/en/accounts/profile/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)):
        assert client.get("/en/accounts/profile/").status_code == 200  # activity renews the session
    with time_machine.travel(timezone.now() + timedelta(seconds=2 * settings.SESSION_COOKIE_AGE)):
        response = client.get("/en/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_lockout_is_of_the_account_at_the_address_only(client, nominator, password):
    """Five wrong passwords lock that account from that address: a colleague behind the same municipal network
    address still signs in, and so does the account's owner from elsewhere."""
    for _attempt in range(5):
        client.post(LOGIN, {"username": nominator.email, "password": "wrong-1234567"}, REMOTE_ADDR="10.0.0.1")
    assert (
        client.post(LOGIN, {"username": nominator.email, "password": password}, REMOTE_ADDR="10.0.0.1").status_code
        == 429
    )
    colleague = UserFactory()
    assert (
        client.post(LOGIN, {"username": colleague.email, "password": password}, REMOTE_ADDR="10.0.0.1").status_code
        == 302
    )
    client.logout()
    assert (
        client.post(LOGIN, {"username": nominator.email, "password": password}, REMOTE_ADDR="10.0.9.9").status_code
        == 302
    )


def test_lockout_page_uses_the_site_layout_in_the_page_language(client, nominator):
    for _attempt in range(6):
        response = sign_in(client, nominator.email, "wrong-password-123")
    assert response.status_code == 429
    assert '<html lang="en">' in response.content.decode()


def test_password_reset_ends_the_account_lockout(client, nominator, password):
    for _attempt in range(5):
        client.post(LOGIN, {"username": nominator.email, "password": "wrong-1234567"}, REMOTE_ADDR="10.0.2.1")
    assert (
        client.post(LOGIN, {"username": nominator.email, "password": password}, REMOTE_ADDR="10.0.2.1").status_code
        == 429
    )
    client.post("/en/accounts/password/reset/", {"email": nominator.email})
    path = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line).split("testserver", 1)[
        1
    ]
    form_page = client.get(path, follow=True)
    new = "Lukituksen-jalkeen-2026"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    response = client.post(LOGIN, {"username": nominator.email, "password": new}, REMOTE_ADDR="10.0.2.1")
    assert response.status_code == 302
