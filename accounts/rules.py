"""Role predicates of the accounts app (django-rules), and who must use a second factor."""

import rules
from django.db.models import Exists, OuterRef


@rules.predicate
def is_active_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def is_staff_user(user) -> bool:
    return bool(is_active_user(user) and user.is_staff)


@rules.predicate
def is_nominator(user) -> bool:
    return bool(is_active_user(user) and user.memberships.filter(can_nominate=True).exists())


@rules.predicate
def is_jury_member(user) -> bool:
    """Juror or chair of any award cycle: enough to require the second factor."""
    return bool(is_active_user(user) and user.jury_memberships.exists())


@rules.predicate
def is_chair(user) -> bool:
    from awards.models import JuryMembership  # noqa: PLC0415 (awards imports accounts)

    return bool(is_active_user(user) and user.jury_memberships.filter(role=JuryMembership.Role.CHAIR).exists())


def second_factor_required(user) -> bool:
    """Jurors, chairs and staff must pass a second factor; so must anyone who has set one up voluntarily.

    Asked by the middleware on every non-public request of a signed-in, not yet verified user: one query."""
    if not is_active_user(user):
        return False
    if user.is_staff:
        return True
    from django_otp.plugins.otp_static.models import StaticDevice  # noqa: PLC0415
    from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: PLC0415

    from awards.models import JuryMembership  # noqa: PLC0415 (awards imports accounts)

    from .models import User  # noqa: PLC0415

    return (
        User.objects.filter(pk=user.pk)
        .filter(
            Exists(JuryMembership.objects.filter(user=OuterRef("pk")))
            | Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
            | Exists(StaticDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .exists()
    )


rules.add_rule("accounts.manage_accounts", is_staff_user)
rules.add_perm("accounts.manage_accounts", is_staff_user)
