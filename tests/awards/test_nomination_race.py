"""The deadline rush: many nominators submitting at once lose nothing and duplicate nothing."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from awards.models import Nomination, ReferenceCounter
from awards.services import nominations as services
from practices.reference_data import load_reference_data
from tests.factories import (
    PracticeFactory,
    complete_draft,
    nominator_for,
    open_cycle_with_criteria,
)

pytestmark = pytest.mark.django_db(transaction=True)


def run_in_threads(functions):
    """Start every function at the same moment, each in its own thread with its own connection."""
    barrier = threading.Barrier(len(functions))
    results, errors = [], []

    def worker(function):
        try:
            barrier.wait()
            results.append(function())
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.fixture(autouse=True)
def _reference_data():
    # Transactional tests empty every table afterwards; make sure the places exist for this one.
    load_reference_data()


def test_nomination_rush_many_threads_submit_at_once_unique_consecutive_references():
    cycle = open_cycle_with_criteria(2)
    drafts = [complete_draft(cycle=cycle) for _ in range(12)]
    results, errors = run_in_threads(
        [lambda d=d: services.nomination_submit(nomination=d, by=d.created_by) for d in drafts]
    )
    assert errors == []
    references = sorted(Nomination.objects.filter(cycle=cycle).values_list("reference", flat=True))
    assert references == [f"LST-{cycle.year}-{n:04d}" for n in range(1, 13)]
    assert Nomination.objects.filter(cycle=cycle, state=Nomination.State.SUBMITTED).count() == 12
    assert ReferenceCounter.objects.get(cycle=cycle).last_number == 12
    assert len(mail.outbox) == 12
    assert all(r.newly_submitted for r in results)


def test_nomination_rush_same_nomination_clicked_many_times_one_submission_one_email():
    draft = complete_draft()
    results, errors = run_in_threads(
        [lambda: services.nomination_submit(nomination=draft, by=draft.created_by) for _ in range(6)]
    )
    assert errors == []
    assert sum(r.newly_submitted for r in results) == 1
    draft.refresh_from_db()
    assert draft.reference == f"LST-{draft.cycle.year}-0001"
    assert ReferenceCounter.objects.get(cycle=draft.cycle).last_number == 1
    assert len(mail.outbox) == 1


def test_nomination_rush_organisations_submit_the_same_practice_one_wins_cleanly():
    cycle = open_cycle_with_criteria(1)
    practice = PracticeFactory()
    # Each organisation's draft is its own business: all four start, and the first to submit takes the practice.
    drafts = [complete_draft(cycle=cycle, practice=practice) for _ in range(4)]
    results, errors = run_in_threads(
        [lambda d=d: services.nomination_submit(nomination=d, by=d.created_by) for d in drafts]
    )
    assert len(results) == 1
    assert len(errors) == 3
    assert all(isinstance(e, ValidationError) and e.error_list[0].code == "duplicate" for e in errors)
    assert Nomination.objects.filter(cycle=cycle, practice=practice, state=Nomination.State.SUBMITTED).count() == 1


def test_nomination_rush_concurrent_saves_of_one_version_only_one_wins():
    draft = complete_draft()
    colleagues = [nominator_for(draft.organisation) for _ in range(5)]
    version = draft.version
    results, errors = run_in_threads(
        [
            lambda u=u, n=n: services.nomination_save(
                nomination=draft, by=u, expected_version=version, data={"summary": f"Versio {n}"}
            )
            for n, u in enumerate(colleagues)
        ]
    )
    assert len(results) == 1
    assert len(errors) == 4
    assert all(isinstance(e, services.StaleEdit) for e in errors)
    draft.refresh_from_db()
    assert draft.summary == results[0].summary
    assert draft.version == version + 1
