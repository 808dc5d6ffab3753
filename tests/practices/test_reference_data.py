"""The reference data loader: counts, idempotence and merged municipalities."""

import pytest

from practices.models import Municipality, Region, WellbeingServicesCounty
from practices.reference_data import load_reference_data

pytestmark = pytest.mark.django_db


def test_reference_data_counts_after_load():
    assert Region.objects.count() == 19
    assert WellbeingServicesCounty.objects.count() == 23
    assert Municipality.objects.count() == 320
    assert Municipality.objects.filter(last_year__isnull=True).count() == 308
    assert Municipality.objects.existing_in(2026).count() == 308


def test_reference_data_load_twice_changes_nothing():
    before = list(Municipality.objects.order_by("code").values())
    result = load_reference_data()
    assert (result.regions, result.counties, result.municipalities) == (19, 23, 320)
    assert list(Municipality.objects.order_by("code").values()) == before


def test_reference_data_restores_an_edited_row():
    Municipality.objects.filter(code="153").update(name_fi="Väärä nimi")
    load_reference_data()
    assert Municipality.objects.get(code="153").name_fi == "Imatra"


def test_merged_municipality_pertunmaa_ends_2024():
    pertunmaa = Municipality.objects.get(code="588")
    assert pertunmaa.name_fi == "Pertunmaa"
    assert pertunmaa.last_year == 2024
    assert not pertunmaa.is_current
    assert Municipality.objects.existing_in(2024).filter(code="588").exists()
    assert not Municipality.objects.existing_in(2025).filter(code="588").exists()


def test_municipality_links_region_and_county():
    vantaa = Municipality.objects.select_related("region", "county").get(code="092")
    assert vantaa.region.name_fi == "Uusimaa"
    assert vantaa.county.code == "04"
    assert vantaa.name_sv == "Vanda"
    assert vantaa.language_status == Municipality.LanguageStatus.BILINGUAL_FINNISH_MAJORITY


def test_helsinki_and_aland_county_rows():
    assert WellbeingServicesCounty.objects.get(code="90").name_fi.startswith("Helsin")
    assert WellbeingServicesCounty.objects.filter(code="91").exists()
