"""Permission predicates of the awards app (django-rules). They defer to the visibility selectors,
so a rule and the list a user sees can never disagree."""

import rules
from django.core.exceptions import PermissionDenied

from accounts.models import OrganisationMembership

from .models import JuryMembership, Nomination
from .selectors.jury import conflicted_nominations, jury_nominations
from .selectors.nominations import nominations_visible_to


@rules.predicate
def is_staff_member(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


@rules.predicate
def is_nominator_of(user, nomination: Nomination) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and nomination is not None
        and OrganisationMembership.objects.filter(
            user=user, organisation_id=nomination.organisation_id, can_nominate=True
        ).exists()
    )


@rules.predicate
def has_conflict(user, nomination: Nomination) -> bool:
    return bool(nomination is not None and conflicted_nominations(user).filter(pk=nomination.pk).exists())


@rules.predicate
def can_see_nomination(user, nomination: Nomination) -> bool:
    return bool(nomination is not None and nominations_visible_to(user).filter(pk=nomination.pk).exists())


@rules.predicate
def nomination_reaches_jury_member(user, nomination: Nomination) -> bool:
    return bool(nomination is not None and jury_nominations(user).filter(pk=nomination.pk).exists())


@rules.predicate
def is_jury_member_of(user, cycle) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and cycle is not None
        and JuryMembership.objects.filter(user=user, cycle=cycle).exists()
    )


@rules.predicate
def is_chair_of(user, cycle) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and cycle is not None
        and JuryMembership.objects.filter(user=user, cycle=cycle, role=JuryMembership.Role.CHAIR).exists()
    )


# Rules, tested with rules.test_rule(name, user, obj). Use these rather than user.has_perm() wherever a
# conflict of interest matters: Django answers has_perm() True for every superuser without asking the rules.
rules.add_rule("view_nomination", can_see_nomination)
rules.add_rule("score_nomination", nomination_reaches_jury_member)
rules.add_rule("view_ranking", is_staff_member | is_chair_of)
rules.add_rule("manage_cycle", is_staff_member)

# The same as permissions, for permission_required on views and for the admin.
rules.add_perm("awards.view_nomination", can_see_nomination)
rules.add_perm("awards.view_ranking", is_staff_member | is_chair_of)
rules.add_perm("awards.manage_cycle", is_staff_member)

# Decision and publication (awards/services/decisions.py and publication.py re-check these at the moment of the action).
rules.add_rule("record_decision", is_staff_member | is_chair_of)
rules.add_rule("close_jury_period", is_staff_member | is_chair_of)
rules.add_rule("publish_results", is_staff_member)


def require(rule: str, user, obj) -> None:
    """For services: refuse (PermissionDenied) unless `user` passes `rule` on `obj` at the moment of the action."""
    if not rules.test_rule(rule, user, obj):
        raise PermissionDenied
