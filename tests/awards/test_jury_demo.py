"""The jury demo: last year's cycle in scoring, idempotent, and juror1 (Vantaa) never reaches Vantaa's nomination."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from awards.models import AwardCycle, Nomination, Review
from awards.selectors.jury import ranking

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0, stdout=None)
    return AwardCycle.objects.get(state=AwardCycle.State.SCORING)


def test_jury_demo_is_idempotent(demo):
    counts = (Nomination.objects.filter(cycle=demo).count(), Review.objects.filter(nomination__cycle=demo).count())
    call_command("seed_demo", verbosity=0)
    assert counts == (6, 19)
    assert (
        Nomination.objects.filter(cycle=demo).count(),
        Review.objects.filter(nomination__cycle=demo).count(),
    ) == counts


def test_jury_demo_chair_sees_ranking_with_data(demo):
    chair = User.objects.get(email="chair@demo.fi")
    rows = ranking(chair, demo).rows
    assert len(rows) == 6
    assert all(row.reviews >= 1 for row in rows)


def test_jury_demo_juror1_cannot_reach_vantaa_nomination(client, otp_login, demo):
    juror1 = User.objects.get(email="juror1@demo.fi")
    vantaa = Nomination.objects.get(cycle=demo, organisation__name="Vantaan kaupunki")
    otp_login(client, juror1)
    worklist = client.get(reverse("awards:jury_worklist", args=[demo.year]))
    assert worklist.status_code == 200
    assert len(worklist.context["nominations"]) == 5
    assert vantaa.name not in worklist.content.decode()
    for name in ("jury_review", "jury_conflict_declare"):
        assert client.get(reverse(f"awards:{name}", args=[demo.year, vantaa.pk])).status_code == 404
    assert client.get(reverse("awards:jury_ranking", args=[demo.year])).status_code == 404
