"""Clear answers instead of 500s: a NUL in the practice search, and two conflict declarations at once."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from awards.models import ConflictOfInterest
from awards.services import jury as jury_services
from practices.reference_data import load_reference_data
from tests.factories import JuryMembershipFactory, OrganisationFactory, nominator_for, open_cycle_with_criteria
from tests.factories.jury import ScoringCycleFactory, SubmittedNominationFactory, criteria_for


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["\x00", "perhe\x00työ", "\x1b[31m", "\ue000"])
def test_practice_search_with_control_characters_answers_the_page(client, query):
    open_cycle_with_criteria()
    client.force_login(nominator_for(OrganisationFactory()))
    response = client.get(reverse("awards:nomination_start"), {"q": query})
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_conflict_declarations_at_once_record_one_conflict_cleanly():
    load_reference_data()
    cycle = ScoringCycleFactory()
    criteria_for(cycle)
    nomination = SubmittedNominationFactory(cycle=cycle)
    juror = JuryMembershipFactory(cycle=cycle).user
    barrier = threading.Barrier(4)
    results, errors = [], []

    def declare():
        try:
            barrier.wait()
            results.append(jury_services.conflict_declare(juror=juror, nomination=nomination, reason="Sukulainen."))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=declare) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    # The declarations queue on the cycle's row; the later ones find the first one's conflict.
    assert errors == []
    assert len({conflict.pk for conflict in results}) == 1
    assert ConflictOfInterest.objects.filter(user=juror, nomination=nomination).count() == 1
