"""Places sort by name in each language's alphabet: Finnish and Swedish put å, ä, ö after z, English does not; the
same order with the ICU collations (PostgreSQL built with ICU) and without them (the fallback key)."""

import pytest

from practices import localisation
from practices.models import Municipality, Region, WellbeingServicesCounty

pytestmark = pytest.mark.django_db


def server_has_icu() -> bool:
    """Whether the server was built with ICU: initdb then imports the ICU locales' collations, "und-x-icu" among
    them (the machine's PostgreSQL 15 is; the embedded PostgreSQL 18 that `make test` starts where no server
    answers is not, though its catalogue lists the predefined ICU collation "unicode" all the same)."""
    from django.db import connection  # noqa: PLC0415

    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu')")
        return cursor.fetchone()[0]


@pytest.fixture
def icu_mode():
    def set_mode(available: bool) -> None:
        if available and not server_has_icu():
            pytest.skip("this PostgreSQL was built without ICU: only the fallback order can be tested")
        localisation._Collations.available = available

    yield set_mode
    localisation._Collations.available = None


def names(model, language):
    return [getattr(obj, f"name_{language}") for obj in localisation.by_name(model.objects.all(), language)]


def test_icu_collations_exist_on_a_server_built_with_icu():
    from django.db import connection  # noqa: PLC0415

    if not server_has_icu():
        pytest.skip("this PostgreSQL was built without ICU: the migration creates no collations there")
    with connection.cursor() as cursor:
        cursor.execute("SELECT collname FROM pg_collation WHERE collprovider = 'i' AND collname LIKE 'lst_%%'")
        assert {row[0] for row in cursor.fetchall()} == {"lst_fi", "lst_sv", "lst_en"}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("model", [Municipality, Region, WellbeingServicesCounty], ids=lambda m: m.__name__)
def test_order_is_the_same_with_and_without_icu(icu_mode, model, language):
    icu_mode(False)
    without = names(model, language)
    assert without == sorted(without, key=lambda name: localisation.name_sort_key(name, language))
    icu_mode(True)  # skips here on a server without ICU, the fallback's order checked
    assert names(model, language) == without


@pytest.mark.parametrize("available", [True, False])
def test_finnish_and_swedish_put_the_nordic_letters_after_z(icu_mode, available):
    icu_mode(available)
    fi = names(Municipality, "fi")
    assert fi[-4:] == ["Ylöjärvi", "Ypäjä", "Ähtäri", "Äänekoski"]
    sv = names(Municipality, "sv")
    assert sv[-5:] == ["Ypäjä", "Åbo", "Äänekoski", "Östermark", "Övertorneå"]
    assert sv.index("Vårdö") < sv.index("Vörå")
    en = names(Region, "en")
    assert en[0] == "Åland"  # in English Å sorts with A
