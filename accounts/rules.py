"""Role predicates of the accounts app (django-rules), and who must use a second factor."""

import rules
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q
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


def elevated_rights_condition() -> Q:
    """Q over User: the account holds any right beyond a nominator's. Staff, superusers (Django grants them every
    permission without asking), any model permission of their own or through a group, and the roles the apps above
    register as elevated (accounts/roles.py: jurors, chairs, panel members)."""
    group_permissions = Permission.objects.filter(group__user=OuterRef("pk"))
    return (
        Q(is_staff=True)
        | Q(is_superuser=True)
        | Exists(User.user_permissions.through.objects.filter(user_id=OuterRef("pk")))
        | Exists(group_permissions)
        | elevated_condition()
    )


def role_requires_second_factor(user) -> bool:
    """Every account with an elevated right (elevated_rights_condition) must use a second factor: one query."""
    if not is_active_user(user):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return User.objects.filter(pk=user.pk).filter(elevated_rights_condition()).exists()


def second_factor_required(user) -> bool:
    """Holders of an elevated right must pass a second factor; so must anyone who has set one up.

    Asked by the middleware on every non-public request of a signed-in, not yet verified user: one query."""
    if not is_active_user(user):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return (
        User.objects.filter(pk=user.pk)
        .filter(
            elevated_rights_condition()
            | Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
            | Exists(StaticDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .exists()
    )


rules.add_rule("accounts.manage_accounts", is_staff_user)
rules.add_perm("accounts.manage_accounts", is_staff_user)
