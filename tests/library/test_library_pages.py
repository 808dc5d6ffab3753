"""The practice page and the place pages (municipality, wellbeing services county, region) and their indexes."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from practices.models import Municipality, Region, Theme
from tests.factories import OrganisationFactory, PracticeFactory
from tests.factories.library import nominate, published_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _finnish():
    # A request to /sv/ or /en/ elsewhere leaves its language active in this thread; URLs here are Finnish.
    translation.activate("fi")
    yield
    translation.activate("fi")


@pytest.fixture
def awarded_practice():
    practice = PracticeFactory(
        name="Hyvinvointineuvola",
        summary="Perheitä tuetaan varhain.",
        innokyla_url="https://www.innokyla.fi/fi/toimintamalli/hyvinvointineuvola",
        is_public=False,
    )
    imatra = Municipality.objects.get(code="153")
    practice.municipalities.add(imatra)
    practice.counties.add(imatra.county)
    practice.themes.add(Theme.objects.get(slug="perhetyo"))
    practice.organisations.add(OrganisationFactory(name="Imatran kaupunki"))
    nominate(practice, published_cycle(2024, list_all_nominees=True), None, consent_to_publish=True)
    nominate(practice, published_cycle(2025), "honourable_mention")
    nominate(practice, published_cycle(2026, published_at=timezone.now() + timedelta(days=1)), "winner")
    return practice


def test_practice_page_shows_description_places_and_award_history(client, awarded_practice):
    response = client.get(awarded_practice.get_absolute_url().replace("/fi/", "/en/", 1))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Perheitä tuetaan varhain." in html
    assert "Imatran kaupunki" in html
    assert 'href="/en/kunnat/153/"' in html
    assert "<strong>2025</strong>: honourable mention" in html
    assert "<strong>2024</strong>: nominated" in html
    assert "2026" not in html  # the winner of 2026 is announced tomorrow
    assert 'href="https://www.innokyla.fi/fi/toimintamalli/hyvinvointineuvola"' in html


def test_practice_page_has_open_graph_metadata(client, awarded_practice):
    html = client.get(awarded_practice.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Hyvinvointineuvola">' in html
    assert '<meta property="og:description" content="Perheitä tuetaan varhain.">' in html
    assert f'<meta property="og:url" content="http://testserver{awarded_practice.get_absolute_url()}">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_practice_page_never_shows_contact_details(client, awarded_practice):
    html = client.get(awarded_practice.get_absolute_url()).content.decode()
    assert "yhteyshenkilo@example.fi" not in html
    assert "123 4567" not in html


def test_practice_page_lists_related_practices_by_theme_or_region(client, awarded_practice):
    same_theme = PracticeFactory(name="Sama teema")
    same_theme.themes.add(Theme.objects.get(slug="perhetyo"))
    same_region = PracticeFactory(name="Sama maakunta")
    same_region.municipalities.add(Municipality.objects.get(code="405"))  # Lappeenranta, Etelä-Karjala
    PracticeFactory(name="Muu käytäntö")
    hidden = PracticeFactory(name="Piilotettu", is_public=False)
    hidden.themes.add(Theme.objects.get(slug="perhetyo"))
    related = client.get(awarded_practice.get_absolute_url()).context["related"]
    assert [p.name for p in related] == ["Sama teema", "Sama maakunta"]


def test_practice_page_of_non_public_practice_is_404(client):
    hidden = PracticeFactory(name="Piilotettu", is_public=False)
    nominate(hidden, published_cycle(2026, published_at=timezone.now() + timedelta(hours=1)), "winner")
    assert client.get(hidden.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("count", [1, 8])
def test_practice_page_query_count_constant(client, django_assert_num_queries, count):
    practice = PracticeFactory(name="Kohde")
    theme = Theme.objects.get(slug="perhetyo")
    practice.themes.add(theme)
    for n in range(count):
        nominate(practice, published_cycle(2000 + n), "finalist")
        practice.organisations.add(OrganisationFactory())
        other = PracticeFactory(name=f"Muu {n}")
        other.themes.add(theme)
    # The public version's next scheduled moment (read once after a change), practice, organisations,
    # municipalities+region, counties, themes, target groups, awards, follow-ups, related.
    with django_assert_num_queries(10):
        response = client.get(practice.get_absolute_url())
    assert len(response.context["practice"].awards) == count
    with django_assert_num_queries(0):  # the public copy
        assert client.get(practice.get_absolute_url()).content == response.content


def test_municipality_page_lists_practices_and_award_history(client, awarded_practice):
    PracticeFactory(name="Muualla")
    response = client.get(reverse("library:municipality_detail", args=["153"]))
    html = response.content.decode()
    assert [p.name for p in response.context["practices"]] == ["Hyvinvointineuvola"]
    assert [(n.cycle.year, n.outcome) for n in response.context["award_history"]] == [
        (2025, "honourable_mention"),
        (2024, "nominee"),
    ]
    assert "Etelä-Karjala" in html
    # The practice's card shows the same awards, newest first.
    assert re.findall(r'class="badge award-([a-z_]+)">(\d{4}):', html) == [
        ("honourable_mention", "2025"),
        ("nominee", "2024"),
    ]
    library = client.get(reverse("library:library"), {"q": "Hyvinvointineuvola"}).content.decode()
    assert re.findall(r'class="badge award-([a-z_]+)">(\d{4}):', library) == [
        ("honourable_mention", "2025"),
        ("nominee", "2024"),
    ]


def test_county_page_lists_practices_of_its_municipalities(client, awarded_practice):
    via_municipality = PracticeFactory(name="Lappeenrannan malli")
    via_municipality.municipalities.add(Municipality.objects.get(code="405"))
    response = client.get(reverse("library:county_detail", args=["11"]))
    assert [p.name for p in response.context["practices"]] == ["Hyvinvointineuvola", "Lappeenrannan malli"]
    assert "Imatra" in [m.name_fi for m in response.context["municipalities"]]


def test_region_page_lists_current_and_merged_municipalities_separately(client):
    response = client.get("/en/maakunnat/04/")  # Satakunta
    current = [m.name_fi for m in response.context["municipalities"]]
    merged = [m.name_fi for m in response.context["merged"]]
    assert "Pori" in current
    assert "Honkajoki" in merged
    assert "Honkajoki" not in current
    assert "Former municipalities (merged)" in response.content.decode()


def test_region_page_of_unknown_code_is_404(client):
    assert client.get(reverse("library:region_detail", args=["98"])).status_code == 404
    assert client.get("/en/maakunnat/xx/").status_code == 404


def test_index_pages_list_places(client, awarded_practice):
    regions = client.get(reverse("library:region_list"))
    assert len(regions.context["regions"]) == Region.objects.count()
    municipalities = client.get(reverse("library:municipality_list"))
    imatra = next(m for m in municipalities.context["current"] if m.code == "153")
    assert imatra.practice_count == 1
    assert any(m.code == "099" for m in municipalities.context["merged"])
    counties = client.get(reverse("library:county_list"))
    assert next(c for c in counties.context["counties"] if c.code == "11").practice_count == 1


@pytest.mark.parametrize("count", [1, 6])
def test_place_pages_query_count_constant(client, django_assert_num_queries, count):
    imatra = Municipality.objects.get(code="153")
    cycle = published_cycle(2022)
    for n in range(count):
        practice = PracticeFactory(name=f"Imatran malli {n}")
        practice.municipalities.add(imatra)
        practice.counties.add(imatra.county)
        practice.organisations.add(OrganisationFactory())
        nominate(practice, cycle, "finalist")
    # the public version's next scheduled moment (once after a change), municipality, practices, the award
    # history, the links the cards show (organisations, municipalities, themes: one query)
    with django_assert_num_queries(5):
        client.get(reverse("library:municipality_detail", args=["153"]))
    with django_assert_num_queries(0):  # the public copy
        client.get(reverse("library:municipality_detail", args=["153"]))
    # county, municipalities, practices, the award history, the cards' links
    with django_assert_num_queries(5):
        client.get(reverse("library:county_detail", args=["11"]))
    # region, municipalities, practices, the award history, the cards' links
    with django_assert_num_queries(5):
        client.get(reverse("library:region_detail", args=["09"]))
    for name in ("municipality_list", "county_list", "region_list"):
        with django_assert_num_queries(1):
            client.get(reverse(f"library:{name}"))


def test_main_navigation_links_to_the_library(client):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("library:library")}"' in html
