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
