"""Factories of the shared schema."""

import factory

from practices.models import Organisation, Practice


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Testikunta {n}")
    kind = Organisation.Kind.MUNICIPALITY

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.add(*extracted)


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Toimintamalli {n}")
    summary = "Perheiden varhainen tuki neuvolassa."
    is_public = True

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.add(*extracted)
