"""The stored full-text search vector of practices, searched with the analysed query."""

import pytest
from django.contrib.postgres.search import SearchRank
from django.db.models import F

from practices.models import Practice
from practices.search.query import search_query
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def search(text: str):
    return Practice.objects.filter(search_vector=search_query(text))


def test_search_inflected_finnish_query_finds_base_form():
    family = PracticeFactory(name="Perhekumppani", summary="Tuki koko perhe arjessa.")
    PracticeFactory(name="Koulun poissaolot", summary="Oppilaiden poissaoloihin puututaan ajoissa.")
    assert list(search("perheille")) == [family]


def test_search_vector_kept_current_on_save():
    practice = PracticeFactory(name="Nepsytiimi", summary="Neuropsykiatrinen konsultaatio.")
    assert not search("lastenneuvola").exists()
    practice.summary = "Lastenneuvola ja perheneuvola yhdessä."
    practice.save()
    assert list(search("lastenneuvolassa")) == [practice]


def test_search_uses_the_description_language():
    swedish = PracticeFactory(name="Familjecentret", summary="Öppna dialogmöten med familjer.", language="sv")
    assert list(search("familjerna")) == [swedish]


def test_search_ranks_name_above_body():
    in_name = PracticeFactory(name="Perhetyö kotona", summary="Tukea arkeen.")
    in_body = PracticeFactory(name="Kotikäynnit", summary="Tukea arkeen.", basic_idea="Perhetyö kulkee mukana.")
    ranked = list(
        search("perhetyö").annotate(rank=SearchRank(F("search_vector"), search_query("perhetyö"))).order_by("-rank")
    )
    assert ranked == [in_name, in_body]
