"""Open data: the datasets (CSV, JSON, README) of what the public may see, and the DCAT-AP catalogue."""

import csv
import io
import json
from datetime import date

import pytest
from rdflib import RDF, Graph, Namespace, URIRef

from practices.models import Municipality, Theme
from tests.factories import OrganisationFactory, PracticeFactory
from tests.factories.library import nominate, published_cycle

pytestmark = pytest.mark.django_db

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LANGUAGES = {"fi", "sv", "en"}
CATALOG = "/api/v1/opendata/catalog.jsonld"


def body(response) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


@pytest.fixture
def published():
    """A public practice with links and an award, a hidden practice, and a nomination with contact details."""
    cycle = published_cycle(2024)
    winner = PracticeFactory(
        name="Voittaja", summary="=HYPERLINK(1) perheille", is_public=False,
        evidence_level="documented_evidence", evidence_rated_by="Itla", evidence_rated_on=date(2025, 1, 2),
    )  # fmt: skip
    winner.municipalities.add(Municipality.objects.get(code="092"))
    winner.themes.add(Theme.objects.get(slug="perhetyo"))
    winner.organisations.add(OrganisationFactory(name="Vantaan kaupunki", business_id="0124610-9"))
    nominate(winner, cycle, "winner", contact_name="Yhteys Henkilö", contact_email="yhteys@example.fi")
    PracticeFactory(name="Piilossa", is_public=False)
    return winner


def test_practices_csv_and_json_hold_only_public_practices(client, published):
    response = client.get("/api/v1/opendata/practices.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert [r["name"] for r in rows] == ["Voittaja"]
    row = rows[0]
    assert row["municipalities"] == "092"
    assert row["themes"] == "perhetyo"
    assert row["awards"] == "2024:winner"
    assert row["evidence_level"] == "documented_evidence"
    assert row["summary"].startswith("'=HYPERLINK")  # no formula runs in a spreadsheet
    assert row["organisations"] == "Vantaan kaupunki (0124610-9)"
    data = json.loads(body(client.get("/api/v1/opendata/practices.json")))
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert [p["name"] for p in data["items"]] == ["Voittaja"]
    assert data["items"][0]["summary"].startswith("=HYPERLINK")  # JSON keeps the text as it is


def test_results_dataset_has_the_citation_and_no_personal_data(client, published):
    text = body(client.get("/api/v1/opendata/results.csv")) + body(client.get("/api/v1/opendata/results.json"))
    rows = list(csv.DictReader(io.StringIO(body(client.get("/api/v1/opendata/results.csv")))))
    assert [(r["year"], r["result"], r["name"]) for r in rows] == [("2024", "winner", "Voittaja")]
    assert rows[0]["citation_fi"] == "Perustelu: Voittaja."
    for personal in ("Yhteys Henkilö", "yhteys@example.fi", "123 4567"):
        assert personal not in text


def test_readme_describes_every_field_in_three_languages(client, published):
    from library.opendata import DATASETS  # noqa: PLC0415

    readme = client.get("/api/v1/opendata/README.md").content.decode()
    for dataset in DATASETS.values():
        header = next(csv.reader(io.StringIO(body(client.get(f"/api/v1/opendata/{dataset.key}.csv")))))
        for name in header:
            assert f"| `{name}` |" in readme
    assert "CC BY 4.0" in readme


@pytest.mark.parametrize("count", [1, 8])
def test_practices_download_query_count_constant(client, django_assert_num_queries, count):
    for n in range(count):
        practice = PracticeFactory(name=f"Käytäntö {n}")
        practice.organisations.add(OrganisationFactory())
    # The public version's next scheduled moment (read once after a change), practices, 5 link prefetches,
    # award history.
    with django_assert_num_queries(8):
        assert len(body(client.get("/api/v1/opendata/practices.csv")).splitlines()) == count + 1


def test_dcat_catalogue_parses_and_every_dataset_is_described_in_three_languages(client, published):
    response = client.get(CATALOG)
    assert response["Content-Type"].startswith("application/ld+json")
    graph = Graph().parse(data=response.content.decode(), format="json-ld")
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert catalogs == [URIRef(f"http://testserver{CATALOG}")]
    datasets = list(graph.objects(catalogs[0], DCAT.dataset))
    assert len(datasets) == 2

    def languages(subject, predicate) -> set[str]:
        return {o.language for o in graph.objects(subject, predicate)}

    for dataset in datasets:
        assert (dataset, RDF.type, DCAT.Dataset) in graph
        assert languages(dataset, DCTERMS.title) == LANGUAGES
        assert languages(dataset, DCTERMS.description) == LANGUAGES
        publisher = graph.value(dataset, DCTERMS.publisher)
        assert languages(publisher, FOAF.name) == LANGUAGES
        licence = graph.value(dataset, DCTERMS.license)
        assert licence == URIRef("https://creativecommons.org/licenses/by/4.0/")
        assert languages(licence, DCTERMS.title) == LANGUAGES
        assert graph.value(graph.value(dataset, DCAT.contactPoint), VCARD.hasEmail) is not None
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert {str(graph.value(d, DCAT.mediaType)).rsplit("/", 1)[-1] for d in distributions} == {"csv", "json"}
        for distribution in distributions:
            assert languages(distribution, DCTERMS.title) == LANGUAGES
            assert languages(distribution, DCTERMS.description) == LANGUAGES
            assert graph.value(distribution, DCTERMS.license) == licence
            url = str(graph.value(distribution, DCAT.downloadURL))
            assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_openapi_schema_links_to_the_open_data(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["externalDocs"]["url"].endswith(CATALOG)
    assert "README.md" in schema["info"]["description"]
    assert "evidence" in schema["components"]["schemas"]["Practice"]["properties"]


def test_open_data_page_links_the_files_in_every_language(client):
    for prefix in ("fi", "sv", "en"):
        html = client.get(f"/{prefix}/kaytannot/avoin-data/").content.decode()
        assert 'href="/api/v1/opendata/practices.csv"' in html
        assert f'href="{CATALOG}"' in html
        assert 'rel="license"' in html


def test_unknown_dataset_is_404(client):
    assert client.get("/api/v1/opendata/nominations.csv").status_code == 404
    assert client.get("/api/v1/opendata/practices.xml").status_code == 404
