"""Factories of the awards app."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from awards.models import Award, AwardCycle, Criterion, JuryMembership, Nomination


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award
        django_get_or_create = ["slug"]

    slug = "kunnallinen-lastensuojeluteko"
    name_fi = "Kunnallinen lastensuojeluteko"
    name_sv = "Kommunal barnskyddsgärning"
    name_en = "Municipal child-welfare act of the year"


class AwardCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardCycle

    award = factory.SubFactory(AwardFactory)
    year = factory.Sequence(lambda n: 2100 + n)
    state = AwardCycle.State.OPEN
    nominations_open_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    nominations_close_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    cycle = factory.SubFactory(AwardCycleFactory)
    order = factory.Sequence(int)
    name_fi = factory.Sequence(lambda n: f"Kriteeri {n}")
    weight = Decimal(1)


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    cycle = factory.SubFactory(AwardCycleFactory)
    organisation = factory.SubFactory("tests.factories.practices.OrganisationFactory")
    practice = factory.SubFactory("tests.factories.practices.PracticeFactory")
    name = factory.SelfAttribute("practice.name")
    summary = "Lyhyt kuvaus."


class JuryMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JuryMembership

    cycle = factory.SubFactory(AwardCycleFactory)
    user = factory.SubFactory("tests.factories.accounts.UserFactory")
    role = JuryMembership.Role.JUROR


# Nominations (issue 4) ---------------------------------------------------------------------------------------


def nominator_for(organisation, **user_fields):
    """A user who may nominate for `organisation`."""
    from .accounts import MembershipFactory  # noqa: PLC0415

    return MembershipFactory(
        organisation=organisation, can_nominate=True, **{f"user__{k}": v for k, v in user_fields.items()}
    ).user


def open_cycle_with_criteria(count: int = 3, **fields):
    cycle = AwardCycleFactory(**fields)
    for order in range(count):
        CriterionFactory(cycle=cycle, order=order)
    return cycle


def complete_draft(*, cycle=None, organisation=None, by=None, **fields):
    """A draft with every required part filled in, started and saved through the services."""
    from awards.services import nominations as services  # noqa: PLC0415
    from practices.models import Municipality  # noqa: PLC0415

    from .practices import OrganisationFactory  # noqa: PLC0415

    cycle = cycle or open_cycle_with_criteria()
    organisation = organisation or OrganisationFactory(municipalities=list(Municipality.objects.filter(code="153")))
    by = by or nominator_for(organisation)
    practice = fields.pop("practice", None)
    nomination = services.nomination_start(
        cycle=cycle,
        organisation=organisation,
        by=by,
        practice=practice,
        practice_name=""
        if practice
        else fields.pop("name", None) or f"Malli {organisation.pk}-{cycle.pk}-{Nomination.objects.count()}",
    )
    data = {
        "summary": "Tiivis kuvaus.",
        "basic_idea": "Perusajatus.",
        "target_group_description": "Lapsiperheet.",
        "achieved_changes": "Muutoksia.",
        "contact_name": "Kaisa Kontakti",
        "contact_email": "kaisa@example.fi",
        "contact_phone": "040 123 4567",
        **fields,
    }
    texts = {criterion.pk: f"Perustelu {criterion.pk}" for criterion in cycle.criteria.all()}
    relations = {}
    if not nomination.municipalities.exists():
        relations["municipalities"] = list(Municipality.objects.filter(code="153"))
    return services.nomination_save(
        nomination=nomination,
        by=by,
        expected_version=nomination.version,
        data=data,
        justifications=texts,
        relations=relations,
    )
