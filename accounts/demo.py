"""Demo users. They exist only where `seed_demo` ran, never through a migration."""

import os

from django.db import transaction

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
