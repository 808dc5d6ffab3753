"""Hostile and broken input to the library page and the API: a normal page or a clear message, never a 500."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from practices.models import Practice
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db

LIBRARY = reverse("library:library")

HOSTILE_QUERIES = [
    '"',
    '"perhe',
    "perhe'",
    "' OR 1=1 --",
    "'; DROP TABLE practices_practice; --",
    "perhe & | ! <-> :* ( ) \\",
    "!!!",
    "& | !",
    "<->",
    ":*",
    "perhe:*",
    "perhe <-> tuki",
    "-",
    "--perhe",
    "((((((",
    "or",
    "ja",  # a Finnish stop word only: an empty query
    "perhe\x00tuki",
    "\x00",
    "\ue000perhe\ue001",
    "<script>alert(1)</script>",
    "😀 perhe",
    " ",
    "a" * 200,
]


@pytest.fixture(autouse=True)
def _practice():
    cache.clear()
    PracticeFactory(name="Perhetuki", summary="Perheille tukea kotiin.")


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_library_query_gives_a_normal_page(client, query):
    response = client.get(LIBRARY, {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert Practice.objects.filter(name="Perhetuki").exists()


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_api_query_gives_json(client, query):
    response = client.get("/api/v1/practices/", {"q": query})
    assert response.status_code == 200
    assert "results" in response.json()


def test_hostile_null_byte_is_dropped_and_search_still_runs(client):
    response = client.get(LIBRARY, {"q": "perhe\x00"})
    assert response.context["filters"].q == "perhe"
    assert response.context["page_obj"].paginator.count == 1


def test_hostile_ten_thousand_characters_get_a_clear_message(client):
    response = client.get(LIBRARY, {"q": "perhe " * 2000})
    assert response.status_code == 200
    errors = response.context["form"].errors["q"]
    assert "200" in errors[0]
    assert "11999" in errors[0]  # trailing space stripped
    # What was typed is kept in the field, and the page still lists practices.
    assert response.context["page_obj"].paginator.count == 1


def test_hostile_ten_thousand_characters_to_api_is_400(client):
    response = client.get("/api/v1/practices/", {"q": "x" * 10_000})
    assert response.status_code == 400
    assert "q" in response.json()["errors"]


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "1e10", "9" * 40, "\x00", "1; DROP TABLE x"])
def test_hostile_bad_page_number_gives_a_page(client, page):
    response = client.get(LIBRARY, {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


@pytest.mark.parametrize(
    ("params", "reported"),
    [
        ({"theme": "' OR 1=1 --"}, {"theme"}),
        ({"region": "\x00"}, {"region"}),
        ({"county": "9" * 100}, {"county"}),
        ({"municipality": "abc"}, {"municipality"}),
        ({"organisation_kind": "x" * 10_000}, {"organisation_kind"}),
        ({"result": "loser"}, {"result"}),
        ({"year": "99999999999999999999999"}, {"year"}),
        ({"year": "-1", "theme": "perhetyo"}, {"year"}),
        ({"theme": ["nope", "perhetyo"]}, set()),  # a repeated parameter: the last one counts
        ({"unknown": "value"}, set()),
    ],
)
def test_hostile_filter_values_reported_not_crashing(client, params, reported):
    response = client.get(LIBRARY, params)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == reported
    api = client.get("/api/v1/practices/", params)
    assert api.status_code == (400 if reported else 200)
    body = api.json()
    assert set(body["errors"] if reported else body) == (reported or {"count", "next", "previous", "results"})


@pytest.mark.parametrize(("page", "status"), [("abc", 400), ("0", 400), ("-1", 400), ("99999", 404)])
def test_hostile_api_bad_page_is_json_with_a_documented_status(client, page, status):
    # Not a page number: 400 naming the parameter; a page past the last one: 404 (both in the schema).
    response = client.get("/api/v1/practices/", {"page": page})
    assert response.status_code == status
    assert response.json()["code"] == {400: "invalid", 404: "not_found"}[status]


@pytest.mark.parametrize(
    "path",
    [
        "/fi/kaytannot/%00/",
        "/fi/kunnat/%00/",
        "/fi/kunnat/15%003/",
        "/fi/hyvinvointialueet/%00/",
        "/fi/maakunnat/%00/",
        "/fi/kunnat/" + "9" * 5000 + "/",
        "/api/v1/practices/%00/",
        "/api/v1/municipalities/%00/",
        "/api/v1/counties/%00/",
        "/api/v1/regions/%00/",
        "/api/v1/themes/%00/",
        "/api/v1/target-groups/%00/",
        "/api/v1/awards/%00/",
        "/api/v1/awards/99999/",
    ],
)
def test_hostile_path_values_are_404_not_500(client, path):
    assert client.get(path).status_code == 404
