"""Fixtures of the accounts tests: a user per role and a helper for authenticator codes."""

import pytest
from django_otp.oath import TOTP

from awards.models import JuryMembership
from tests.factories import AwardCycleFactory, JuryMembershipFactory, MembershipFactory, UserFactory
from tests.factories.accounts import TEST_PASSWORD


def totp_code(device) -> str:
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return str(totp.token()).zfill(device.digits)


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def nominator(db):
    return MembershipFactory(user__email="nominator@example.fi").user


@pytest.fixture
def juror(db):
    return JuryMembershipFactory(user__email="juror@example.fi", cycle=AwardCycleFactory()).user


@pytest.fixture
def chair(db):
    return JuryMembershipFactory(
        user__email="chair@example.fi", cycle=AwardCycleFactory(), role=JuryMembership.Role.CHAIR
    ).user


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.fi", is_staff=True)
