"""A search of the text alone: its page ranked as ids, and with its facet counts not cached, the ids of all its
matches read in the same statement for the facet index (library.selectors.counts_and_page). The page must be the
one search_practices() gives, in its order, for every page number, and the counts those facet_sql counts."""

import pytest
from django.core.cache import caches

from library import facet_index
from library.selectors import (
    STORED_COUNTS_MAX_AGE,
    TOTAL,
    LibraryFilters,
    _counted,
    counts_and_page,
    facet_sql,
    ranked_page,
    search_practices,
)
from practices.models import Theme
from tests.factories import PracticeFactory

from .test_library import LIBRARY

pytestmark = pytest.mark.django_db

SEARCH = LibraryFilters(q="perhe")


def _practices():
    """45 public practices matching "perhe" at several ranks, with ties of rank and of name (the order then goes
    by name, then by id), and hidden ones and others that do not match."""
    theme = Theme.objects.order_by("slug").first()
    for n in range(12):
        PracticeFactory(name=f"Perhetyö {n % 5}", summary="Tukea perheelle.", is_public=True).themes.add(theme)
    for n in range(13):
        PracticeFactory(name=f"Malli {n}", summary="Perhe ja koulu.", is_public=True)
    for _n in range(20):
        PracticeFactory(name="Kotikäynnit", summary="Arkeen.", basic_idea="Perhe kotona.", is_public=True)
    for n in range(5):
        PracticeFactory(name=f"Piilotettu perhe {n}", is_public=False)
        PracticeFactory(name=f"Koulun poissaolot {n}", summary="Poissaoloihin puututaan.", is_public=True)


def _expected(page: int) -> list[int]:
    return list(search_practices(SEARCH).values_list("pk", flat=True)[(page - 1) * 20 : page * 20])


def _shown(client, page: str | None) -> tuple[int, list[int]]:
    response = client.get(LIBRARY, {"q": "perhe", **({"page": page} if page is not None else {})})
    assert response.status_code == 200
    return response.context["page_obj"].number, [practice.pk for practice in response.context["practices"]]


@pytest.mark.parametrize("counted", [False, True], ids=["uncounted change", "facet index"])
def test_every_page_of_a_text_search_is_search_practices_page(client, committed, counted):
    """Uncounted: the transaction's own change keeps the facet index out (facet_sql counts, the page alone is
    ranked as ids); counted: the first page of the search reads the matches with it, later pages find the counts
    cached and rank only their page."""
    if counted:
        with committed():
            _practices()
    else:
        _practices()
    assert search_practices(SEARCH).count() == 45
    assert len(set(_expected(1) + _expected(2) + _expected(3))) == 45
    for cache in caches.all():
        cache.clear()
    # The page numbers Paginator.get_page() answers: a number, the last page for one too large, the first for
    # anything that is not a page number.
    assert _shown(client, None) == (1, _expected(1))
    assert _shown(client, "2") == (2, _expected(2))
    assert _shown(client, "3") == (3, _expected(3))
    assert _shown(client, "99") == (3, _expected(3))
    assert _shown(client, "0") == (3, _expected(3))  # get_page(): a number under 1 is out of range too
    assert _shown(client, "kaksi") == (1, _expected(1))
    assert _shown(client, "2.5") == (1, _expected(1))


def test_the_counts_of_the_one_pass_are_facet_sqls(committed):
    with committed():
        _practices()
    for cache in caches.all():
        cache.clear()
    index = facet_index.current(STORED_COUNTS_MAX_AGE)
    assert index is not None
    counts, ids = counts_and_page(SEARCH, 20, 20)
    assert ids == _expected(2)
    assert counts == _counted(facet_sql(SEARCH))[0]
    assert counts[TOTAL][""] == 45
    # The same matches as the page was ranked among: every public practice matching the text, none other.
    ranked = ranked_page(SEARCH, 0, 20, with_matching=True)
    assert sorted(ranked.matching) == sorted(search_practices(SEARCH).values_list("pk", flat=True))
    assert ranked.ids == _expected(1)


def test_a_search_with_filters_is_not_ranked_as_ids():
    _practices()
    filtered = LibraryFilters(q="perhe", theme=Theme.objects.order_by("slug").first().slug)
    counts, ids = counts_and_page(filtered, 0, 20)
    assert ids is None
    assert counts[TOTAL][""] == 12
    with pytest.raises(ValueError, match="without filters"):
        ranked_page(filtered, 0, 20, with_matching=True)
    with pytest.raises(ValueError, match="text search"):
        ranked_page(LibraryFilters(), 0, 20)
