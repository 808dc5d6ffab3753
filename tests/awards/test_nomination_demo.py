"""The demo nominations: a draft by Imatra and a submitted one by Vantaa in the open cycle, created once."""

import pytest
from django.core import mail

from accounts.demo import seed_users
from awards.demo import seed_award
from awards.demo.nominations import seed_nominations
from awards.models import Nomination
from practices.demo import seed_practices

pytestmark = pytest.mark.django_db


def test_nomination_demo_is_idempotent_with_a_draft_and_a_submission():
    seed_practices()
    seed_users()
    _award, cycle = seed_award()
    seed_nominations(cycle)
    seed_nominations(cycle)
    nominations = {n.organisation.name: n for n in Nomination.objects.filter(cycle=cycle)}
    assert set(nominations) == {"Imatran kaupunki", "Vantaan kaupunki"}
    assert nominations["Imatran kaupunki"].state == Nomination.State.DRAFT
    vantaa = nominations["Vantaan kaupunki"]
    assert vantaa.state == Nomination.State.SUBMITTED
    assert vantaa.reference == f"LST-{cycle.year}-0001"
    assert vantaa.justifications.exclude(text="").count() == cycle.criteria.count()
    assert len(mail.outbox) == 1
