"""Role predicates of the accounts app (django-rules), and who must use a second factor."""

import rules
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User
from .roles import elevated_condition


@rules.predicate
def is_active_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def is_staff_user(user) -> bool:
    return bool(is_active_user(user) and user.is_staff)


@rules.predicate
def is_nominator(user) -> bool:
    return bool(is_active_user(user) and user.memberships.filter(can_nominate=True).exists())


def role_requires_second_factor(user) -> bool:
    """Staff, and holders of a role the apps above register as elevated (accounts/roles.py: jurors, chairs)."""
    if not is_active_user(user):
        return False
    return user.is_staff or User.objects.filter(pk=user.pk).filter(elevated_condition()).exists()


def second_factor_required(user) -> bool:
    """Staff and holders of an elevated role must pass a second factor; so must anyone who has set one up.

    Asked by the middleware on every non-public request of a signed-in, not yet verified user: one query."""
    if not is_active_user(user):
        return False
    if user.is_staff:
        return True
    return (
        User.objects.filter(pk=user.pk)
        .filter(
            elevated_condition()
            | Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
            | Exists(StaticDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .exists()
    )


rules.add_rule("accounts.manage_accounts", is_staff_user)
rules.add_perm("accounts.manage_accounts", is_staff_user)
