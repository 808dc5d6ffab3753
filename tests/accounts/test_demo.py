"""Demo users: roles, the printed second-factor secret, and a full sign-in with it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import (
    DEMO_TOTP_SECRET,
    DEMO_TOTP_USERS,
    demo_password,
    demo_totp_code,
    seed_second_factor,
    seed_users,
)
from accounts.models import OrganisationMembership
from awards.demo import seed_award
from awards.models import JuryMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    seed_users()
    seed_award()
    seed_second_factor()


def test_seed_demo_gives_roles_and_one_demo_device_each():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    seed_second_factor()  # idempotent
    assert DEMO_TOTP_SECRET in out.getvalue()
    assert "oathtool --totp -b" in out.getvalue()
    assert TOTPDevice.objects.filter(user__email__in=DEMO_TOTP_USERS, confirmed=True).count() == len(DEMO_TOTP_USERS)
    assert JuryMembership.objects.filter(user__email="chair@demo.fi", role="chair").exists()
    current = JuryMembership.objects.filter(cycle__year=timezone.localdate().year)
    assert current.filter(user__email__startswith="juror").count() == 3
    assert current.filter(user__email="chair@demo.fi", role=JuryMembership.Role.CHAIR).exists()
    nominators = OrganisationMembership.objects.filter(can_nominate=True).values_list("user__email", flat=True)
    assert set(nominators) == {"nominator@imatra.demo.fi", "nominator@vantaa.demo.fi"}


def test_demo_juror_signs_in_with_the_printed_secret(client, seeded):
    response = client.post("/fi/accounts/login/", {"username": "juror1@demo.fi", "password": demo_password()})
    assert response["Location"].startswith("/fi/accounts/two-factor/verify/")
    response = client.post(
        "/fi/accounts/two-factor/verify/", {"token": demo_totp_code(), "next": "/fi/accounts/profile/"}
    )
    assert response["Location"] == "/fi/accounts/profile/"
    assert client.get("/fi/accounts/profile/").status_code == 200


def test_demo_nominator_signs_in_without_second_factor(client, seeded):
    response = client.post("/fi/accounts/login/", {"username": "nominator@imatra.demo.fi", "password": demo_password()})
    assert response["Location"] == "/fi/ehdotukset/"  # a nominator starts at their nominations


@pytest.mark.parametrize("how", ["settings", "environment"])
def test_seed_demo_refuses_to_run_in_production(settings, monkeypatch, how):
    from django.core.management import CommandError  # noqa: PLC0415

    from accounts.models import User  # noqa: PLC0415

    if how == "settings":
        settings.PRODUCTION = True
    else:
        monkeypatch.setenv("DJANGO_ENV", "production")
    with pytest.raises(CommandError, match="DJANGO_ENV=production"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.filter(email__endswith="@demo.fi").exists()
