"""The unfiltered library's facet counts kept in the database (StoredFacetCounts) are read only while no public
change has been counted since and no scheduled moment has passed: after every kind of write that changes what the
public sees they equal a fresh count, and a plain count over the links."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from awards.models import AwardCycle, DecisionEntry
from awards.selectors.publication import public_practices
from awards.services.publication import practices_publicity_refresh
from library.models import StoredFacetCounts
from library.selectors import FACETS, TOTAL, LibraryFilters, stored_unfiltered_counts
from practices import public_version
from practices.models import Municipality, Practice, PublicDataGeneration, Theme
from tests.factories import PracticeFactory
from tests.factories.library import nominate, published_cycle

from .test_facet_counts import expected_counts

pytestmark = pytest.mark.django_db

UNFILTERED = LibraryFilters()


def _library(committed):
    with committed():
        cycle = published_cycle(2021)
        for i in range(4):
            practice = PracticeFactory(name=f"Malli {i}", is_public=i % 2 == 0)
            practice.themes.add(Theme.objects.order_by("slug")[i])
            practice.municipalities.add(Municipality.objects.get(code=["091", "092", "049", "853"][i]))
        nominee = Practice.objects.get(name="Malli 1")
        nominate(nominee, cycle, result="finalist")
    return cycle


def _assert_current(counts):
    """The stored counts equal a plain count over the links and the public practices."""
    expected = expected_counts(UNFILTERED)
    for name in FACETS:
        if name not in ("result", "year"):
            assert counts[name] == expected[name], name
    assert counts[TOTAL] == {"": public_practices().count()}


def test_stored_counts_are_read_until_a_change_is_counted(committed, django_assert_num_queries):
    _library(committed)
    counts = stored_unfiltered_counts()
    stored = StoredFacetCounts.objects.get()
    assert stored.generation == PublicDataGeneration.objects.get().number
    assert stored.counts == counts
    _assert_current(counts)
    # Marked, to tell the stored row from a fresh count: read as it is, in one query.
    StoredFacetCounts.objects.update(counts={**counts, TOTAL: {"": 999}})
    with django_assert_num_queries(1):
        assert stored_unfiltered_counts()[TOTAL] == {"": 999}
    with committed():
        PracticeFactory(name="Uusi malli", is_public=True)
    _assert_current(stored_unfiltered_counts())
    assert StoredFacetCounts.objects.get().counts[TOTAL] == {"": 4}


def _make_public(cycle):
    Practice.objects.filter(name="Malli 3").update(is_public=True)  # a bulk write says so itself
    public_version.public_data_changed()


def _add_theme(cycle):
    Practice.objects.get(name="Malli 0").themes.add(Theme.objects.order_by("slug").last())


def _move_municipality(cycle):
    practice = Practice.objects.get(name="Malli 2")
    practice.municipalities.set([Municipality.objects.get(code="179")])


def _delete(cycle):
    Practice.objects.get(name="Malli 0").delete()


def _nominate_in_published_cycle(cycle):
    nominate(Practice.objects.get(name="Malli 3"), cycle, result="honourable_mention")


def _unpublish_cycle(cycle):
    cycle.state = AwardCycle.State.OPEN
    cycle.save()


def _remove_result(cycle):
    DecisionEntry.objects.get(nomination__practice__name="Malli 1").delete()


def _bulk_publicity_refresh(cycle):
    AwardCycle.objects.filter(pk=cycle.pk).update(results_published_at=timezone.now() + timedelta(days=1))
    practices_publicity_refresh()
    public_version.public_data_changed()


# Every kind of write that changes what the public sees (also tests/library/test_facet_index.py).
PUBLIC_CHANGES = [
    _make_public,
    _add_theme,
    _move_municipality,
    _delete,
    _nominate_in_published_cycle,
    _unpublish_cycle,
    _remove_result,
    _bulk_publicity_refresh,
]


@pytest.mark.parametrize("change", PUBLIC_CHANGES)
def test_stored_counts_follow_every_public_change(committed, change):
    cycle = _library(committed)
    before = stored_unfiltered_counts()
    with committed():
        change(cycle)
    after = stored_unfiltered_counts()
    _assert_current(after)
    assert after != before


def test_stored_counts_hold_until_a_scheduled_publication(committed):
    with committed():
        PracticeFactory(name="Julkinen", is_public=True)
        scheduled = published_cycle(2022, published_at=timezone.now() + timedelta(hours=2))
        nominate(PracticeFactory(name="Ajastettu", is_public=False), scheduled)
    counts = stored_unfiltered_counts()
    assert counts[TOTAL] == {"": 1}
    assert StoredFacetCounts.objects.get().valid_until == scheduled.results_published_at
    with time_machine.travel(scheduled.results_published_at + timedelta(seconds=1)):
        assert stored_unfiltered_counts()[TOTAL] == {"": 2}


def test_a_transaction_with_an_uncounted_change_counts_afresh_and_stores_nothing(committed):
    _library(committed)
    stored_unfiltered_counts()
    StoredFacetCounts.objects.update(generation=-1)  # would never be read again: only the mark matters below
    PracticeFactory(name="Kesken", is_public=True)  # not committed: not counted yet
    assert public_version.changed_in_this_transaction()
    _assert_current(stored_unfiltered_counts())
    assert StoredFacetCounts.objects.get().generation == -1
