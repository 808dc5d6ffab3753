"""Every account with an elevated right must pass a second factor, and staff services check the staff right
themselves: a superuser whose staff status was taken away is neither staff nor exempt from the second factor."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import AccountRequest
from accounts.rules import role_requires_second_factor, second_factor_required
from awards.models import AwardCycle
from awards.services import cycles as cycle_services
from awards.services import jury as jury_services
from awards.services import nominations as nomination_services
from tests.factories import AwardCycleFactory, JuryMembershipFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _permission(codename="change_awardcycle"):
    return Permission.objects.get(codename=codename)


def _with_user_permission():
    user = UserFactory(password=None)
    user.user_permissions.add(_permission())
    return user


def _with_group_permission():
    user = UserFactory(password=None)
    group = Group.objects.create(name="Viestintä")
    group.permissions.add(_permission("change_announcement"))
    user.groups.add(group)
    return user


def _in_group_without_permissions():
    user = UserFactory(password=None)
    user.groups.add(Group.objects.create(name="Uutiskirje"))
    return user


ACCOUNTS = {
    "plain": (lambda: UserFactory(password=None), False),
    "nominator": (lambda: MembershipFactory(user__password=None).user, False),
    "group_without_permissions": (_in_group_without_permissions, False),
    "staff": (lambda: UserFactory(is_staff=True, password=None), True),
    "superuser_without_staff": (lambda: UserFactory(is_superuser=True, is_staff=False, password=None), True),
    "user_permission": (_with_user_permission, True),
    "group_permission": (_with_group_permission, True),
    "juror": (lambda: JuryMembershipFactory(user__password=None).user, True),
    "inactive_superuser": (lambda: UserFactory(is_superuser=True, is_active=False, password=None), False),
}


@pytest.mark.parametrize("kind", list(ACCOUNTS))
def test_second_factor_required_of_every_elevated_right(kind):
    make, elevated = ACCOUNTS[kind]
    user = make()
    assert role_requires_second_factor(user) is elevated
    assert second_factor_required(user) is elevated


def test_superuser_without_staff_is_sent_to_second_factor_before_any_page(client):
    user = UserFactory(is_superuser=True, is_staff=False, password=None)
    client.force_login(user)
    for url in (
        reverse("accounts:account_request_list"),
        reverse("awards:staff_cycles"),
        reverse("accounts:profile"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:otp_setup")), url


def test_superuser_without_staff_gets_no_staff_page_even_with_second_factor(client, otp_login):
    user = UserFactory(is_superuser=True, is_staff=False, password=None)
    cycle = AwardCycleFactory()
    AccountRequest.objects.create(
        first_name="Outi", last_name="Ulkopuolinen", email="outi@example.fi", organisation_name="Kunta"
    )
    otp_login(client, user)
    for url in (
        reverse("accounts:account_request_list"),
        reverse("accounts:invitation_list"),
        reverse("awards:staff_cycles"),
        reverse("awards:staff_nominations_csv", args=[cycle.pk]),
        reverse("awards:staff_nominations_xlsx", args=[cycle.pk]),
    ):
        response = client.get(url)
        assert response.status_code in {403, 404}, url
        assert b"outi@example.fi" not in response.content
    response = client.post(reverse("awards:staff_cycle_transition", args=[cycle.pk]), {"to_state": "closed"})
    assert response.status_code in {403, 404}
    cycle.refresh_from_db()
    assert cycle.state == AwardCycle.State.OPEN


STAFF_SERVICES = {
    "cycle_transition": lambda by, cycle: cycle_services.cycle_transition(cycle=cycle, to_state="closed", by=by),
    "cycle_copy": lambda by, cycle: cycle_services.cycle_copy(source=cycle, year=cycle.year + 50, by=by),
    "jury_period_close": lambda by, cycle: jury_services.jury_period_close(cycle=cycle, by=by),
    "jury_period_reopen": lambda by, cycle: jury_services.jury_period_reopen(cycle=cycle, by=by, reason="x"),
    "assignments_all": lambda by, cycle: jury_services.assignments_all(cycle=cycle, by=by),
    "assignments_balance": lambda by, cycle: jury_services.assignments_balance(cycle=cycle, per_nomination=1, by=by),
    "jury_send_reminders": lambda by, cycle: jury_services.jury_send_reminders(cycle=cycle, by=by),
    "jury_scores_exported": lambda by, cycle: jury_services.jury_scores_exported(cycle=cycle, by=by, fmt="csv"),
    "nominations_exported": lambda by, cycle: nomination_services.nominations_exported(
        cycle=cycle, by=by, fmt="csv", count=0
    ),
}


@pytest.mark.parametrize(
    ("service", "who"),
    [
        (service, who)
        for service in STAFF_SERVICES
        for who in ("superuser_without_staff", "juror", "chair_with_permission")
        # The chair of the cycle may end its jury period, as staff may (tests/e2e/test_traps.py).
        if (service, who) != ("jury_period_close", "chair_with_permission")
    ],
)
def test_staff_services_refuse_without_the_staff_right(service, who):
    cycle = AwardCycleFactory(state=AwardCycle.State.SCORING)
    if who == "superuser_without_staff":
        user = UserFactory(is_superuser=True, is_staff=False, password=None)
    elif who == "juror":
        user = JuryMembershipFactory(cycle=cycle, user__password=None).user
    else:
        user = JuryMembershipFactory(cycle=cycle, user__password=None, role="chair").user
        user.user_permissions.add(_permission())
    state = cycle.state
    with pytest.raises(PermissionDenied):
        STAFF_SERVICES[service](user, cycle)
    cycle.refresh_from_db()
    assert cycle.state == state
    assert not AwardCycle.objects.filter(year=cycle.year + 50).exists()


@pytest.mark.parametrize("service", ["cycle_transition", "jury_scores_exported", "nominations_exported"])
def test_staff_services_run_for_staff(service):
    cycle = AwardCycleFactory(state=AwardCycle.State.OPEN)
    STAFF_SERVICES[service](UserFactory(is_staff=True, password=None), cycle)
