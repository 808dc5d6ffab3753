"""Role × nomination → visible / reaches the jury / conflict, for single roles and their combinations.

Visibility bugs live in combinations: a juror who nominates for her own municipality, staff who sit on the jury.
"""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from awards.models import AwardCycle, ConflictOfInterest, JuryMembership, Nomination
from awards.rules import has_conflict
from awards.selectors.jury import conflicted_nominations, jury_nominations
from awards.selectors.nominations import nominations_visible_to
from tests.factories import (
    AwardCycleFactory,
    JuryMembershipFactory,
    MembershipFactory,
    NominationFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOMINATIONS = ["vantaa", "imatra", "imatra_draft", "ineligible", "other_cycle"]


@pytest.fixture
def world():
    cycle = AwardCycleFactory(state=AwardCycle.State.SCORING)
    other_cycle = AwardCycleFactory(state=AwardCycle.State.SCORING)
    vantaa = OrganisationFactory(name="Vantaan kaupunki", municipalities=["092"])
    imatra = OrganisationFactory(name="Imatran kaupunki", municipalities=["153"])
    lahti = OrganisationFactory(name="Lahden kaupunki", municipalities=["398"])
    kuopio = OrganisationFactory(name="Kuopion kaupunki", municipalities=["297"])
    submitted = Nomination.State.SUBMITTED
    now = timezone.now()
    n = {
        "vantaa": NominationFactory(cycle=cycle, organisation=vantaa, state=submitted, submitted_at=now),
        "imatra": NominationFactory(cycle=cycle, organisation=imatra, state=submitted, submitted_at=now),
        "imatra_draft": NominationFactory(cycle=cycle, organisation=imatra, state=Nomination.State.DRAFT),
        "ineligible": NominationFactory(
            cycle=cycle,
            organisation=lahti,
            state=submitted,
            submitted_at=now,
            eligibility=Nomination.Eligibility.INELIGIBLE,
        ),
        "other_cycle": NominationFactory(cycle=other_cycle, organisation=lahti, state=submitted, submitted_at=now),
    }

    def juror(cycle_, role=JuryMembership.Role.JUROR, **user):
        return JuryMembershipFactory(cycle=cycle_, role=role, user=UserFactory(password=None, **user)).user

    users = {
        "anonymous": AnonymousUser(),
        "nominator_imatra": MembershipFactory(organisation=imatra, user__password=None).user,
        "nominator_elsewhere": MembershipFactory(organisation=kuopio, user__password=None).user,
        "inactive_nominator": MembershipFactory(organisation=imatra, user__password=None, user__is_active=False).user,
        "juror": juror(cycle),
        "chair": juror(cycle, JuryMembership.Role.CHAIR),
        "juror_nominator_vantaa": juror(cycle),
        "inactive_juror": juror(cycle, is_active=False),
        "juror_other_cycle": juror(other_cycle),
        "staff": UserFactory(is_staff=True, password=None),
        "staff_juror": juror(cycle, is_staff=True),
    }
    MembershipFactory(user=users["juror_nominator_vantaa"], organisation=vantaa, can_nominate=True)
    # Staff member who sits on the jury and belongs to Vantaa (without nominating for it).
    MembershipFactory(user=users["staff_juror"], organisation=vantaa, can_nominate=False)
    return {"cycle": cycle, "other_cycle": other_cycle, "n": n, "users": users}


ALL = set(NOMINATIONS)
# user → (nominations visible, nominations reaching them as a jury member, nominations they have a conflict with)
TABLE = {
    "anonymous": (set(), set(), set()),
    "nominator_imatra": ({"imatra", "imatra_draft"}, set(), {"imatra", "imatra_draft"}),
    "nominator_elsewhere": (set(), set(), set()),
    "inactive_nominator": (set(), set(), {"imatra", "imatra_draft"}),
    "juror": ({"vantaa", "imatra"}, {"vantaa", "imatra"}, set()),
    "chair": ({"vantaa", "imatra"}, {"vantaa", "imatra"}, set()),
    "juror_nominator_vantaa": ({"vantaa", "imatra"}, {"imatra"}, {"vantaa"}),
    "inactive_juror": (set(), set(), set()),
    "juror_other_cycle": ({"other_cycle"}, {"other_cycle"}, set()),
    "staff": (ALL, set(), set()),
    "staff_juror": (ALL, {"imatra"}, {"vantaa"}),
}


def names(queryset, world):
    by_pk = {nomination.pk: name for name, nomination in world["n"].items()}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True)}


@pytest.mark.parametrize("who", list(TABLE))
def test_selectors_match_the_table(world, who):
    user = world["users"][who]
    visible, jury, conflicts = TABLE[who]
    assert names(nominations_visible_to(user), world) == visible
    assert names(jury_nominations(user), world) == jury
    assert names(conflicted_nominations(user), world) == conflicts


@pytest.mark.parametrize("who", list(TABLE))
@pytest.mark.parametrize("nomination", NOMINATIONS)
def test_rules_agree_with_selectors(world, who, nomination):
    user = world["users"][who]
    visible, jury, conflicts = TABLE[who]
    obj = world["n"][nomination]
    assert rules.test_rule("view_nomination", user, obj) is (nomination in visible)
    assert rules.test_rule("score_nomination", user, obj) is (nomination in jury)
    assert has_conflict(user, obj) is (nomination in conflicts)
    # The permission used by views (permission_required) agrees; nobody in the table is a superuser.
    assert user.has_perm("awards.view_nomination", obj) is (nomination in visible)


@pytest.mark.parametrize(
    ("who", "ranking", "manage"),
    [
        ("anonymous", False, False),
        ("nominator_imatra", False, False),
        ("juror", False, False),
        ("chair", True, False),
        ("juror_nominator_vantaa", False, False),
        ("juror_other_cycle", False, False),
        ("staff", True, True),
        ("staff_juror", True, True),
    ],
)
def test_cycle_rules_by_role(world, who, ranking, manage):
    user = world["users"][who]
    assert rules.test_rule("view_ranking", user, world["cycle"]) is ranking
    assert rules.test_rule("manage_cycle", user, world["cycle"]) is manage


def test_juror_nominator_sees_own_nomination_only_as_nominator(world):
    user = world["users"]["juror_nominator_vantaa"]
    own = world["n"]["vantaa"]
    assert rules.test_rule("view_nomination", user, own)
    assert not rules.test_rule("score_nomination", user, own)
    assert own not in jury_nominations(user)


def test_jury_sees_nothing_while_nominations_are_open(world):
    world["cycle"].state = AwardCycle.State.OPEN
    world["cycle"].save()
    assert not jury_nominations(world["users"]["juror"]).exists()
    assert not nominations_visible_to(world["users"]["chair"]).exists()


def test_declared_conflict_hides_nomination_until_lifted(world):
    juror = world["users"]["juror"]
    imatra = world["n"]["imatra"]
    conflict = ConflictOfInterest.objects.create(
        user=juror, nomination=imatra, source=ConflictOfInterest.Source.DECLARED, reason="Sisar työskentelee siellä."
    )
    assert imatra not in jury_nominations(juror)
    assert not rules.test_rule("view_nomination", juror, imatra)
    conflict.lifted_at = timezone.now()
    conflict.lift_reason = "Ei todellista jääviyttä."
    conflict.save()
    assert imatra in jury_nominations(juror)


def test_area_conflict_when_cycle_includes_area(world):
    cycle = world["cycle"]
    cycle.conflicts_include_area = True
    cycle.save()
    # A juror from another Vantaa organisation (serving the same municipality) is now conflicted.
    juror = world["users"]["juror"]
    MembershipFactory(user=juror, organisation=OrganisationFactory(municipalities=["092"]), can_nominate=False)
    assert names(jury_nominations(juror), world) == {"imatra"}


def test_removed_from_jury_loses_access(world):
    juror = world["users"]["juror"]
    JuryMembership.objects.filter(user=juror).delete()
    assert not nominations_visible_to(juror).exists()
