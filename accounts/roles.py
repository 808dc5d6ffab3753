"""Roles that the apps above accounts grant, made known to accounts through this registry.

accounts knows people, their organisations and the organisers' staff. A role that belongs to an app above it (a
juror of an award cycle, say) is registered here by that app in its AppConfig.ready():

- register_scoped_role(): a role a person can be invited to, for one object of the app (its scope): which
  objects an invitation may name, and how accepting the invitation grants the role;
- register_elevated_role(): rows whose users hold a role that must be protected by a second factor, and how
  the role reads on the person's profile.

accounts never imports the apps above; they fill this registry, as apps fill the admin site.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.functional import Promise

type Text = str | Promise


@dataclass(frozen=True)
class ScopedRole:
    """A role granted for one object (the scope), e.g. juror of an award cycle."""

    value: str  # stored in Invitation.role
    label: Text
    scope_field: str  # the invitation form's field for the scope, e.g. "cycle"; roles may share one
    scope_label: Text  # names the object an invitation is for, e.g. "award cycle"
    scope_help: Text  # the help text of the scope's field, e.g. "Required for a juror or a chair."
    scope_missing: Text  # the error when an invitation to the role names no scope
    scopes: Callable[[], QuerySet]  # the objects an invitation may be for
    grant: Callable[..., None]  # grant(*, user, scope) gives the role; called inside the accepting transaction
    # The URL name where holders of the role sign in with a one-time code e-mailed each time. A new person
    # invited to such a role sets no password: they give their name, then sign in there.
    sign_in_url: str = ""


@dataclass(frozen=True)
class ElevatedRole:
    """Holders of a role with access beyond a nominator's, who must pass a second factor."""

    holders: Callable[[], QuerySet]  # rows with a `user` foreign key, one per holding
    describe: Callable[..., list[str]]  # describe(user) -> one line per holding, for the profile page


_scoped: dict[str, ScopedRole] = {}
_elevated: list[ElevatedRole] = []
# Where a person lands after signing in when no page was asked for: callables user -> URL or None, first answer wins.
_landings: list[Callable[..., str | None]] = []


def register_scoped_role(role: ScopedRole) -> None:
    _scoped[role.value] = role


def register_elevated_role(role: ElevatedRole) -> None:
    if role not in _elevated:
        _elevated.append(role)


def scoped_role(value: str) -> ScopedRole | None:
    return _scoped.get(value)


def scoped_roles() -> list[ScopedRole]:
    return list(_scoped.values())


def elevated_condition() -> Q:
    """Q over User: the user holds one of the registered elevated roles (one EXISTS per role)."""
    condition = Q(pk__in=[])
    for role in _elevated:
        condition |= Exists(role.holders().filter(user=OuterRef("pk")))
    return condition


def elevated_role_lines(user) -> list[str]:
    """The registered roles the user holds, one line each, for the profile page."""
    return [line for role in _elevated for line in role.describe(user)]


def register_landing(landing: Callable[..., str | None]) -> None:
    """An app above tells where its role holders start (a juror's worklist, a nominator's nominations)."""
    if landing not in _landings:
        _landings.append(landing)


def landing_url(user, default: str) -> str:
    """Where `user` starts after signing in, by the registered landings; `default` when none answers."""
    for landing in _landings:
        url = landing(user)
        if url:
            return url
    return default
