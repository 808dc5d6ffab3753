"""The library's index of facet values (library/facet_index.py) counts what the SQL of facet_sql counts, for random
libraries and random searches, and is used only while it holds: until a public change is counted, a scheduled
moment passes or it grows too old, and never in a transaction that has changed public data not counted yet."""

import random
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from awards.selectors.publication import public_practices
from library import facet_index
from library.selectors import (
    FACETS,
    STORED_COUNTS_MAX_AGE,
    TOTAL,
    CardAward,
    LibraryFilters,
    _counted,
    as_cards,
    facet_counts,
    facet_sql,
    indexed_counts,
    practices_for_cards,
)
from practices import public_version
from practices.models import (
    EvidenceLevel,
    Municipality,
    Organisation,
    Practice,
    TargetGroup,
    Theme,
    WellbeingServicesCounty,
)
from tests.factories import PracticeFactory
from tests.factories.library import nominate, published_cycle

from .test_facet_counts import _random_library
from .test_stored_facet_counts import PUBLIC_CHANGES, _library

pytestmark = pytest.mark.django_db


def _sql_counts(filters: LibraryFilters) -> dict[str, dict[str, int]]:
    return _counted(facet_sql(filters))[0]


def _index() -> facet_index.FacetIndex:
    return facet_index.FacetIndex.build(facet_index.generation_now(), timezone.now())


def _random_filters(rng: random.Random) -> LibraryFilters:
    """Any combination of the filters, with values that some practice has, that none has and that do not exist."""
    values = {
        "theme": [*Theme.objects.values_list("slug", flat=True), "ei-ole"],
        "target_group": list(TargetGroup.objects.values_list("slug", flat=True)),
        "region": list(Municipality.objects.filter(practices__isnull=False).values_list("region_id", flat=True)),
        "county": [*WellbeingServicesCounty.objects.values_list("code", flat=True)[:5], "99"],
        "municipality": [*Municipality.objects.filter(practices__isnull=False).values_list("code", flat=True), "999"],
        "organisation_kind": list(Organisation.Kind.values),
        "evidence": [EvidenceLevel.SOME_EVIDENCE, EvidenceLevel.values[-1]],
        "result": ["winner", "finalist", "honourable_mention", "nominee"],
        "year": [2020, 2021, 1999],
    }
    chosen = {name: rng.choice(options) for name, options in values.items() if options and rng.random() < 0.35}
    text = rng.choice(["", "", "käytäntö", "Käytäntö 3", "xyz", "käytäntö -3", '"käytäntö 1"'])
    return LibraryFilters(q=text, any_word=bool(text) and rng.random() < 0.3, **chosen)


@pytest.mark.parametrize("seed", range(4))
def test_index_counts_what_the_sql_counts(seed):
    rng = random.Random(seed)  # noqa: S311 (test data)
    _random_library(rng)
    later = published_cycle(2021)
    for practice in rng.sample(list(Practice.objects.all()), 7):
        nominate(practice, later, result=rng.choice(["winner", "finalist", "honourable_mention", None]))
    index = _index()
    assert index.everything.bit_count() == public_practices().count()
    searches = [LibraryFilters(q="käytäntö"), *(_random_filters(rng) for _ in range(60))]
    for filters in searches:
        counts = indexed_counts(index, filters)
        assert counts == _sql_counts(filters), filters
    # The counts are not empty (a check that cannot fail would prove nothing).
    assert indexed_counts(index, LibraryFilters(q="käytäntö"))[TOTAL][""] > 0
    assert any(indexed_counts(index, f)["result"] for f in searches)


def _a_theme() -> str:
    return Theme.objects.order_by("slug").first().slug


def test_facet_counts_come_from_the_index_while_it_holds(committed, django_assert_num_queries):
    _library(committed)
    filters, searched = LibraryFilters(theme=_a_theme()), LibraryFilters(q="malli", theme=_a_theme())
    first = facet_counts.__wrapped__(filters)  # builds the index
    index = facet_index.current(STORED_COUNTS_MAX_AGE)
    assert index is not None
    assert first == _sql_counts(filters)
    with django_assert_num_queries(1):  # the number of counted changes, nothing else
        assert facet_counts.__wrapped__(filters) == first
    expected = _sql_counts(searched)
    with django_assert_num_queries(2):  # and the ids of the practices matching the text
        assert facet_counts.__wrapped__(searched) == expected
    assert facet_index.current(STORED_COUNTS_MAX_AGE) is index


@pytest.mark.parametrize("change", PUBLIC_CHANGES)
def test_the_index_follows_every_public_change(committed, change):
    cycle = _library(committed)
    searches = [
        LibraryFilters(q="malli"),
        LibraryFilters(theme=_a_theme()),
        LibraryFilters(year=2021),
        LibraryFilters(result="finalist", organisation_kind="municipality"),
    ]
    before = [facet_counts.__wrapped__(f) for f in searches]
    built = facet_index.current(STORED_COUNTS_MAX_AGE)
    with committed():
        change(cycle)
    after = [facet_counts.__wrapped__(f) for f in searches]
    assert after == [_sql_counts(f) for f in searches]
    assert facet_index.current(STORED_COUNTS_MAX_AGE).generation > built.generation
    assert after != before


def _scheduled_library(committed):
    """One public practice, and one that becomes public when a cycle's results are published in two hours."""
    with committed():
        PracticeFactory(name="Julkinen malli", is_public=True)
        scheduled = published_cycle(2022, published_at=timezone.now() + timedelta(hours=2))
        nominate(PracticeFactory(name="Ajastettu malli", is_public=False), scheduled)
    return scheduled


def test_the_index_holds_until_a_scheduled_publication(committed):
    scheduled = _scheduled_library(committed)
    searched = LibraryFilters(q="malli")
    assert facet_counts.__wrapped__(searched)[TOTAL] == {"": 1}
    assert facet_index.current(STORED_COUNTS_MAX_AGE).valid_until == scheduled.results_published_at
    with time_machine.travel(scheduled.results_published_at + timedelta(seconds=1)):
        counts = facet_counts.__wrapped__(searched)
        assert counts[TOTAL] == {"": 2}
        assert counts["year"] == {"2022": 1}


def test_the_index_is_built_again_when_too_old(committed):
    _library(committed)
    built = facet_index.current(STORED_COUNTS_MAX_AGE)
    assert facet_index.current(STORED_COUNTS_MAX_AGE) is built
    with time_machine.travel(timezone.now() + STORED_COUNTS_MAX_AGE + timedelta(seconds=1)):
        assert facet_index.current(STORED_COUNTS_MAX_AGE) is not built


def test_a_transaction_with_an_uncounted_change_counts_in_sql(committed):
    _library(committed)
    searched = LibraryFilters(q="malli")
    assert facet_counts.__wrapped__(searched)[TOTAL] == {"": 3}  # Malli 0 and 2, and Malli 1 (nominated)
    PracticeFactory(name="Kesken oleva malli", is_public=True)  # not committed: not counted yet
    assert public_version.changed_in_this_transaction()
    assert facet_index.current(STORED_COUNTS_MAX_AGE) is None
    assert facet_counts.__wrapped__(searched)[TOTAL] == {"": 4}


def test_a_search_of_another_moment_counts_in_sql(committed):
    scheduled = _scheduled_library(committed)
    searched = LibraryFilters(q="malli")
    assert facet_counts.__wrapped__(searched)[TOTAL] == {"": 1}
    later = scheduled.results_published_at + timedelta(seconds=1)
    assert facet_counts.__wrapped__(searched, at=later)[TOTAL] == {"": 2}


def test_every_facet_of_the_counts_is_there_even_when_nothing_matches(committed):
    _library(committed)
    counts = facet_counts.__wrapped__(LibraryFilters(q="xyzzy"))
    assert set(counts) == {*FACETS, TOTAL}
    assert counts[TOTAL] == {"": 0}
    assert all(counts[name] == {} for name in FACETS)


def test_the_search_forms_choices_are_read_once_per_index_and_follow_a_rename(committed, client):
    _library(committed)
    theme = Theme.objects.order_by("slug").first()
    assert f">{theme.name_en} (" in client.get("/en/kaytannot/", {"q": "malli"}).text  # builds the index
    built = facet_index.current(STORED_COUNTS_MAX_AGE)
    assert ("filter_options", "en") not in built.memos  # read before the index was built
    client.get("/en/kaytannot/", {"q": "malli", "page": "2"})
    assert ("filter_options", "en") in built.memos
    with committed():
        theme.name_en = "Renamed theme"
        theme.save()
    for page in ("3", "4"):  # read afresh, then kept with the new index
        assert ">Renamed theme (" in client.get("/en/kaytannot/", {"q": "malli", "page": page}).text
    rebuilt = facet_index.current(STORED_COUNTS_MAX_AGE)
    assert rebuilt is not built
    assert ("filter_options", "en") in rebuilt.memos


def _card_awards(*, history: bool = False) -> dict[str, list]:
    practices = as_cards(list(practices_for_cards(public_practices(), history=history)))
    return {practice.name: practice.card_awards for practice in practices}


@pytest.mark.parametrize("seed", range(2))
def test_card_awards_from_the_index_are_those_of_the_award_history(committed, seed):
    rng = random.Random(seed)  # noqa: S311 (test data)
    with committed():
        _random_library(rng)
        later = published_cycle(2021)
        for practice in rng.sample(list(Practice.objects.all()), 7):
            nominate(practice, later, result=rng.choice(["winner", "finalist", "honourable_mention", None]))
    read_with_the_practices = _card_awards(history=True)
    facet_index.forget()
    read_in_a_query = _card_awards()  # no index built in this process: one query
    facet_index.current(STORED_COUNTS_MAX_AGE)
    from_the_index = _card_awards()
    assert from_the_index == read_in_a_query == read_with_the_practices
    # Newest year first, and some practice with more than one (a check that cannot fail would prove nothing).
    assert max(len(awards) for awards in from_the_index.values()) > 1
    assert all(
        [a.year for a in awards] == sorted((a.year for a in awards), reverse=True) for awards in from_the_index.values()
    )


@pytest.mark.parametrize("change", PUBLIC_CHANGES)
def test_card_awards_follow_every_public_change(committed, change):
    cycle = _library(committed)
    facet_index.current(STORED_COUNTS_MAX_AGE)
    before = _card_awards()
    with committed():
        change(cycle)
    assert _card_awards() == _card_awards(history=True)
    assert facet_index.current(STORED_COUNTS_MAX_AGE) is not None  # built again, at the new generation
    assert _card_awards() == _card_awards(history=True)
    assert before == {"Malli 0": [], "Malli 1": [CardAward(2021, "finalist")], "Malli 2": []}


def test_bitsets_have_the_bits_of_their_positions():
    assert facet_index._bits([], 0) == 0
    assert facet_index._bits([], 5) == 0
    assert facet_index._bits([0, 3, 9], 10) == 0b10_0000_1001
    positions = random.Random(3).sample(range(20_000), 7_000)  # noqa: S311 (test data)
    assert facet_index._bits(positions, 20_000) == sum(1 << p for p in set(positions))
