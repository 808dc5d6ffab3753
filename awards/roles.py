"""The awards app's roles, made known to accounts (accounts/roles.py): juror and chair of an award cycle, and member
of a cycle's experts-by-experience panel.

Staff invite a person to the jury or the panel of a cycle from the invitations page. Each must pass a second
factor: a jury member with an authenticator app, a panel member with a code e-mailed at each sign-in."""

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.roles import ElevatedRole, ScopedRole, register_elevated_role, register_landing, register_scoped_role

from .models import AwardCycle, JuryMembership, PanelMembership
from .selectors.jury import jury_cycles
from .services.jury import jury_member_add
from .services.panel import panel_member_add

PANEL_ROLE = "panel"


def _cycles():
    return AwardCycle.objects.select_related("award").order_by("-year")


def _grant(role: str):
    def grant(*, user, scope: AwardCycle) -> None:
        jury_member_add(cycle=scope, user=user, role=role)

    return grant


def _describe(user) -> list[str]:
    memberships = JuryMembership.objects.filter(user=user).select_related("cycle__award").order_by("-cycle__year")
    return [f"{capfirst(m.get_role_display())}, {m.cycle}" for m in memberships]


def _grant_panel(*, user, scope: AwardCycle) -> None:
    panel_member_add(cycle=scope, user=user)


def _describe_panel(user) -> list[str]:
    memberships = PanelMembership.objects.filter(user=user).select_related("cycle__award").order_by("-cycle__year")
    return [
        _("Member of the experts-by-experience panel, %(cycle)s, as “%(pseudonym)s”")
        % {"cycle": m.cycle, "pseudonym": m.pseudonym}
        for m in memberships
    ]


def _landing(user) -> str:
    """Jury members start at the worklist of the cycle being scored (or the jury's front page), staff at the award
    cycles, everyone else at their nominations, where a nominator starts one and others learn how to get the right."""
    scoring = jury_cycles(user).filter(state=AwardCycle.State.SCORING).order_by("-year").first()
    if scoring is not None:
        return reverse("awards:jury_worklist", args=[scoring.year])
    if user.is_staff:
        return reverse("awards:staff_cycles")
    if JuryMembership.objects.filter(user=user).exists():
        return reverse("awards:jury_home")
    if not user.has_usable_password() and PanelMembership.objects.filter(user=user).exists():
        return reverse("awards:panel_home")
    return reverse("awards:nomination_list")


def register() -> None:
    for value, label in (
        (JuryMembership.Role.JUROR, _("juror of an award cycle")),
        (JuryMembership.Role.CHAIR, _("jury chair of an award cycle")),
    ):
        register_scoped_role(
            ScopedRole(
                value=value,
                label=label,
                scope_field="cycle",
                scope_label=_("award cycle"),
                scope_help=_("Required for a juror, a chair or a member of the panel."),
                scope_missing=_("Choose the award cycle of the jury."),
                scopes=_cycles,
                grant=_grant(value),
            )
        )
    register_elevated_role(ElevatedRole(holders=JuryMembership.objects.all, describe=_describe))
    register_scoped_role(
        ScopedRole(
            value=PANEL_ROLE,
            label=_("member of the experts-by-experience panel of an award cycle"),
            scope_field="cycle",
            scope_label=_("award cycle"),
            scope_help=_("Required for a juror, a chair or a member of the panel."),
            scope_missing=_("Choose the award cycle of the panel."),
            scopes=_cycles,
            grant=_grant_panel,
            sign_in_url="awards:panel_sign_in",
        )
    )
    register_elevated_role(ElevatedRole(holders=PanelMembership.objects.all, describe=_describe_panel))
    register_landing(_landing)
