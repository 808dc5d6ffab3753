"""Demo users. They exist only where `seed_demo` ran, never through a migration."""

import base64
import os

from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from practices.models import Organisation

from .models import OrganisationMembership, User

DEFAULT_DEMO_PASSWORD = "Lastensuojelu-demo-2026"  # noqa: S105 (a demo password, printed by make run)


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


# email, first name, last name, staff, organisations (name, kind, may nominate)
DEMO_USERS = [
    ("admin@demo.fi", "Aino", "Admin", True, []),
    (
        "chair@demo.fi",
        "Pentti",
        "Puheenjohtaja",
        False,
        [("Lastensuojelun Keskusliitto", Organisation.Kind.NGO, False)],
    ),
    (
        "juror1@demo.fi",
        "Jaana",
        "Juryjäsen",
        False,
        [("Vantaan kaupunki", Organisation.Kind.MUNICIPALITY, False)],
    ),
    ("juror2@demo.fi", "Juho", "Juryjäsen", False, [("Kuntaliitto", Organisation.Kind.OTHER, False)]),
    ("juror3@demo.fi", "Jenni", "Juryjäsen", False, [("Huoltaja-säätiö", Organisation.Kind.OTHER, False)]),
    (
        "nominator@imatra.demo.fi",
        "Iida",
        "Imatralainen",
        False,
        [("Imatran kaupunki", Organisation.Kind.MUNICIPALITY, True)],
    ),
    (
        "nominator@vantaa.demo.fi",
        "Ville",
        "Vantaalainen",
        False,
        [("Vantaan kaupunki", Organisation.Kind.MUNICIPALITY, True)],
    ),
]

ORGANISATION_MUNICIPALITIES = {"Imatran kaupunki": ["153"], "Vantaan kaupunki": ["092"]}


@transaction.atomic
def seed_users() -> list[User]:
    password = demo_password()
    users = []
    for email, first, last, staff, organisations in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, password, first_name=first, last_name=last)
        user.is_staff = user.is_superuser = staff
        user.set_password(password)
        user.save()
        for name, kind, may_nominate in organisations:
            org, _created = Organisation.objects.get_or_create(name=name, kind=kind)
            if name in ORGANISATION_MUNICIPALITIES:
                org.municipalities.add(*ORGANISATION_MUNICIPALITIES[name])
            OrganisationMembership.objects.update_or_create(
                user=user, organisation=org, defaults={"can_nominate": may_nominate}
            )
        users.append(user)
    return users


# DEMO ONLY: one fixed authenticator secret shared by the demo jury and admin, so a tester can sign in without
# scanning a QR code. Printed by seed_demo. Never use a fixed secret for a real account.
DEMO_TOTP_SECRET = "LASTENSUOJELUTEKODEMOKOODIABCDEF"  # base32 of 20 bytes  # noqa: S105
DEMO_TOTP_USERS = ["admin@demo.fi", "chair@demo.fi", "juror1@demo.fi", "juror2@demo.fi", "juror3@demo.fi"]
DEMO_TOTP_DEVICE_NAME = "Demo authenticator"


def demo_totp_code() -> str:
    """The current code of the demo authenticator, e.g.
    python manage.py shell -c "from accounts.demo import demo_totp_code; print(demo_totp_code())" """
    return f"{TOTP(base64.b32decode(DEMO_TOTP_SECRET)).token():06d}"


@transaction.atomic
def seed_second_factor() -> list[str]:
    """Give the demo jury and admin a confirmed authenticator with the demo secret (idempotent)."""
    key = base64.b32decode(DEMO_TOTP_SECRET).hex()
    seeded = []
    for email in DEMO_TOTP_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        TOTPDevice.objects.filter(user=user).exclude(name=DEMO_TOTP_DEVICE_NAME).delete()
        TOTPDevice.objects.update_or_create(
            user=user,
            name=DEMO_TOTP_DEVICE_NAME,
            defaults={"key": key, "confirmed": True, "throttling_failure_count": 0, "last_t": -1},
        )
        seeded.append(email)
    return seeded
