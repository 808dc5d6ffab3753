"""The open data API: public data only, the same rules as the pages, a valid OpenAPI schema, rate limiting."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from drf_spectacular.validation import validate_schema

from awards.models import AwardCycle
from library.api.throttling import OpenDataRateThrottle
from practices.models import Municipality, Theme
from tests.factories import OrganisationFactory, PracticeFactory
from tests.factories.library import nominate, published_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The rate limit counts in the cache; each test starts with a clean slate.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def boundary():
    """One practice of each kind on both sides of the public boundary."""
    marked = PracticeFactory(name="Merkitty julkiseksi", summary="Perheille tukea.", is_public=True)
    winner = PracticeFactory(name="Voittaja", summary="Perheille tukea.", is_public=False)
    nominate(winner, published_cycle(2024), "winner")
    scheduled = PracticeFactory(name="Huomenna julkaistava", summary="Perheille tukea.", is_public=False)
    nominate(scheduled, published_cycle(2025, published_at=timezone.now() + timedelta(days=1)), "winner")
    draft = PracticeFactory(name="Luonnos", summary="Perheille tukea.", is_public=False)
    nominate(draft, published_cycle(2023), "winner", decision_state="draft")
    PracticeFactory(name="Ei julkinen", summary="Perheille tukea.", is_public=False)
    return marked, winner, scheduled


def names(response) -> list[str]:
    return [item["name"] for item in response.json()["results"]]


def test_api_practices_list_only_public_practices(client, boundary):
    response = client.get("/api/v1/practices/")
    assert response.status_code == 200
    assert names(response) == ["Merkitty julkiseksi", "Voittaja"]
    assert response.json()["count"] == 2


def test_api_practice_detail_of_hidden_practice_is_404(client, boundary):
    _marked, winner, scheduled = boundary
    assert client.get(f"/api/v1/practices/{winner.slug}/").status_code == 200
    assert client.get(f"/api/v1/practices/{scheduled.slug}/").status_code == 404


def test_api_practice_has_award_history_and_links(client, boundary):
    _marked, winner, _scheduled = boundary
    imatra = Municipality.objects.get(code="153")
    winner.municipalities.add(imatra)
    winner.themes.add(Theme.objects.get(slug="perhetyo"))
    winner.organisations.add(OrganisationFactory(name="Imatran kaupunki"))
    data = client.get(f"/api/v1/practices/{winner.slug}/").json()
    assert data["awards"] == [{"year": 2024, "result": "winner"}]
    assert data["municipalities"] == ["153"]
    assert data["themes"] == ["perhetyo"]
    assert data["organisations"][0]["name"] == "Imatran kaupunki"
    assert data["web_url"] == f"http://testserver/fi/kaytannot/{winner.slug}/"


def test_api_never_returns_contact_details(client, boundary):
    bodies = [
        client.get(url).content.decode()
        for url in ("/api/v1/practices/", "/api/v1/awards/", "/api/v1/awards/2024/", "/api/v1/openapi.json")
    ]
    for body in bodies:
        assert "yhteyshenkilo@example.fi" not in body
        assert "123 4567" not in body
        assert "contact_email" not in body
        assert "contact_phone" not in body


def test_api_practices_search_and_filters_as_on_the_page(client, boundary):
    _marked, winner, _scheduled = boundary
    winner.themes.add(Theme.objects.get(slug="perhetyo"))
    assert names(client.get("/api/v1/practices/", {"q": "perheille"})) == ["Merkitty julkiseksi", "Voittaja"]
    assert names(client.get("/api/v1/practices/", {"theme": "perhetyo"})) == ["Voittaja"]
    assert names(client.get("/api/v1/practices/", {"result": "winner", "year": 2024})) == ["Voittaja"]
    assert names(client.get("/api/v1/practices/", {"result": "finalist"})) == []


def test_api_practices_unknown_filter_value_is_400_naming_the_parameter(client, boundary):
    response = client.get("/api/v1/practices/", {"theme": "ei-ole", "year": "2025"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {"theme", "year"}  # 2025 is not public yet, so not a valid year


def test_api_award_years_only_published_results(client, boundary):
    response = client.get("/api/v1/awards/")
    years = [item["year"] for item in response.json()["results"]]
    assert years == [2024, 2023]
    year_2024 = client.get("/api/v1/awards/2024/").json()
    assert [(r["name"], r["result"]) for r in year_2024["results"]] == [("Voittaja", "winner")]
    assert year_2024["results"][0]["citation_fi"] == "Perustelu: Voittaja."
    # A published cycle whose decision is still a draft names nobody.
    assert client.get("/api/v1/awards/2023/").json()["results"] == []
    assert client.get("/api/v1/awards/2025/").status_code == 404


def test_api_award_year_lists_results_first_then_consenting_nominees(client):
    cycle = published_cycle(2013, list_all_nominees=True)
    nominate(PracticeFactory(name="Ehdokas", is_public=False), cycle, None, consent_to_publish=True)
    nominate(PracticeFactory(name="Ei suostumusta", is_public=False), cycle, None, consent_to_publish=False)
    nominate(PracticeFactory(name="Maininta", is_public=False), cycle, "honourable_mention")
    nominate(PracticeFactory(name="Voittaja", is_public=False), cycle, "winner")
    results = client.get("/api/v1/awards/2013/").json()["results"]
    assert [(r["name"], r["result"]) for r in results] == [
        ("Voittaja", "winner"),
        ("Maininta", "honourable_mention"),
        ("Ehdokas", "nominee"),
    ]


def test_api_places_and_reference_data(client):
    municipalities = client.get("/api/v1/municipalities/", {"page_size": 200}).json()
    assert municipalities["count"] == 320
    imatra = client.get("/api/v1/municipalities/153/").json()
    assert imatra == {
        "code": "153",
        "name_fi": "Imatra",
        "name_sv": "Imatra",
        "name_en": "Imatra",
        "language_status": 0,
        "region": "09",
        "county": "11",
        "first_year": None,
        "last_year": None,
    }
    assert client.get("/api/v1/regions/").json()["count"] == 19
    assert client.get("/api/v1/counties/").json()["count"] == 23
    assert client.get("/api/v1/themes/perhetyo/").json()["name_fi"] == "Perhetyö"
    assert client.get("/api/v1/target-groups/").status_code == 200


def test_api_is_read_only(client, boundary):
    marked, _winner, _scheduled = boundary
    assert client.post("/api/v1/practices/", {"name": "Uusi"}).status_code == 405
    assert client.delete(f"/api/v1/practices/{marked.slug}/").status_code == 405


def test_api_openapi_schema_is_valid_openapi_3(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/practices/", "/api/v1/awards/{year}/", "/api/v1/municipalities/"} <= set(schema["paths"])


def test_api_docs_is_one_page_for_people_in_the_sites_layout(client):
    response = client.get("/api/v1/docs/", HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE="fi")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fi">' in html
    assert '<main id="main"' in html
    assert "<style" not in html
    assert "<script>" not in html
    assert "/api/v1/practices/" in html
    assert "organisation_kind" in html  # the parameters, from the same schema as openapi.json
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_api_answers_json_even_to_a_browser(client):
    response = client.get("/api/v1/practices/", HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    root = client.get("/api/v1/", HTTP_ACCEPT="text/html")
    assert root["Content-Type"] == "application/json"


@pytest.mark.parametrize("count", [1, 12])
def test_api_practices_query_count_constant(client, django_assert_num_queries, count):
    cycle = published_cycle(2020)
    for n in range(count):
        practice = PracticeFactory(name=f"Käytäntö {n}", is_public=False)
        practice.themes.add(Theme.objects.get(slug="perhetyo"))
        practice.organisations.add(OrganisationFactory())
        nominate(practice, cycle, "finalist")
    # the public version's next scheduled moment (once after a change), 6 for checking the parameters,
    # count + page, 6 prefetches.
    with django_assert_num_queries(15):
        response = client.get("/api/v1/practices/")
    assert response.json()["count"] == count
    with django_assert_num_queries(0):  # the public copy, computed once per public version
        assert client.get("/api/v1/practices/").json() == response.json()


def test_api_rate_limit_answers_429_with_a_clear_message(client, monkeypatch):
    monkeypatch.setattr(OpenDataRateThrottle, "rate", "3/min", raising=False)
    for _n in range(3):
        assert client.get("/api/v1/regions/").status_code == 200
    response = client.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    detail = response.json()["detail"]
    assert "Too many requests from your address" in detail
    assert "3/min" in detail


def test_api_rate_limit_is_per_address_and_not_evaded_by_forwarded_header(client, monkeypatch):
    monkeypatch.setattr(OpenDataRateThrottle, "rate", "2/min", raising=False)
    for n in range(2):
        assert client.get("/api/v1/regions/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code == 200
    assert client.get("/api/v1/regions/", HTTP_X_FORWARDED_FOR="10.0.0.9").status_code == 429
    assert client.get("/api/v1/regions/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_api_practices_unpublished_cycle_result_not_exposed(client):
    practice = PracticeFactory(name="Päätetty", is_public=True)
    nominate(practice, published_cycle(2026, state=AwardCycle.State.DECIDED), "winner")
    data = client.get(f"/api/v1/practices/{practice.slug}/").json()
    assert data["awards"] == []
    assert client.get("/api/v1/awards/2026/").status_code == 404


@pytest.mark.parametrize("count", [1, 5])
def test_api_award_years_query_count_constant(client, django_assert_num_queries, count):
    for n in range(count):
        cycle = published_cycle(2010 + n, list_all_nominees=True)
        nominate(PracticeFactory(is_public=False), cycle, "winner")
        nominate(PracticeFactory(is_public=False), cycle, None, consent_to_publish=True)
    # the public version's next moment, count, cycles, their public nominations (with practice and organisation),
    # the nominations' entries.
    with django_assert_num_queries(5):
        response = client.get("/api/v1/awards/")
    assert [len(year["results"]) for year in response.json()["results"]] == [2] * count
