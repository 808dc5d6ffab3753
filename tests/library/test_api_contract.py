"""The open data API keeps its contract: schemathesis (every check) runs against the real app in-process, on data
of every public kind, and finds nothing. Every error is JSON of the documented shape, with a documented status.

Bounded: a fixed seed and a few examples per operation, so it runs in seconds, the same way every time."""

from datetime import timedelta

import pytest
import schemathesis
from django.utils import timezone

from library.api.throttling import OpenDataRateThrottle
from practices.models import Municipality, Theme
from tests.factories import PracticeFactory
from tests.factories.library import nominate, published_cycle

# Every check, every phase but the stateful one (the API has no links), on a fixed seed. The coverage phase walks
# each parameter's boundaries and every value of its enum: it runs in full on one of the reference lists (their
# pagination is the same code) and on the detail pages; the practice list, whose filters enumerate every
# municipality, is fuzzed instead, with more examples.
CONFIG = schemathesis.config.SchemathesisConfig.from_str(
    """
seed = 20260101

[generation]
max-examples = 4
deterministic = true

[phases.stateful]
enabled = false

[[operations]]
include-path-regex = "^/api/v1/(counties|municipalities|target-groups|themes)/$"
phases.coverage.enabled = false

[[operations]]
include-path = "/api/v1/practices/"
phases.coverage.enabled = false
generation.max-examples = 50
"""
)


def _failures(schema) -> tuple[list[str], int]:
    """Run schemathesis's engine (every phase but stateful, every check) and collect the failed checks."""
    failures, requests = [], 0
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, schemathesis.engine.events.ScenarioFinished):
            requests += len(event.recorder.interactions)
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.status == schemathesis.engine.Status.FAILURE:
                        info = check.failure_info
                        title = getattr(info.failure, "title", info.failure) if info else ""
                        sample = info.code_sample if info else ""
                        failures.append(f"{event.recorder.label}: {check.name}: {title}\n    {sample}")
        elif isinstance(event, (schemathesis.engine.events.NonFatalError, schemathesis.engine.events.FatalError)):
            failures.append(f"error: {getattr(event, 'value', None) or getattr(event, 'exception', None)}")
    return sorted(set(failures)), requests


@pytest.mark.django_db(transaction=True)
def test_api_keeps_its_contract(live_server, monkeypatch):
    # The rate limit is real and documented (429); here it would only cut the run short.
    monkeypatch.setattr(OpenDataRateThrottle, "rate", "100000/min", raising=False)
    cycle = published_cycle(2024)
    for n, outcome in enumerate(["winner", "finalist", None]):
        practice = PracticeFactory(name=f"Avoin malli {n}", summary="Perheille tukea arjessa.", is_public=False)
        practice.themes.add(Theme.objects.order_by("slug").first())
        practice.municipalities.add(Municipality.objects.get(code="091"))
        if outcome:
            nominate(practice, cycle, outcome)
    PracticeFactory(name="Henkilökunnan julkaisema", is_public=True)
    published_cycle(2030, published_at=timezone.now() + timedelta(days=30))  # scheduled: not public
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json", config=CONFIG)
    failures, requests = _failures(schema)
    print(f"schemathesis: {requests} requests, {len(failures)} failures")  # noqa: T201 (a figure for the log)
    assert requests > 150
    assert failures == []


# The shapes and statuses schemathesis checks against, asserted plainly too ---------------------------------------


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/practices/ei-ole-olemassa/", 404),  # a well-formed, unknown key
        ("/api/v1/awards/abcd/", 404),  # a malformed key: no route matches
        ("/api/v1/regions/%00/", 404),
        ("/api/v1/no-such-list/", 404),
        ("/api/v1/practices/?page=0", 400),
        ("/api/v1/practices/?page=abc", 400),
        ("/api/v1/practices/?page=999", 404),
        ("/api/v1/practices/?page_size=null", 400),
        ("/api/v1/practices/?page_size=0", 400),
        ("/api/v1/practices/?page_size=201", 400),
        ("/api/v1/practices/?year=0", 400),
        ("/api/v1/practices/?theme=", 400),
        ("/api/v1/regions/?page_size=-1", 400),
    ],
)
@pytest.mark.django_db
def test_every_error_is_json_of_the_documented_shape(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert body["code"] == {400: "invalid", 404: "not_found"}[status]
    if status == 400:
        assert body["errors"]
        assert all(isinstance(messages, list) for messages in body["errors"].values())


@pytest.mark.django_db
def test_schema_documents_every_status_and_the_valid_values(client):
    published_cycle(2024)
    document = client.get("/api/v1/openapi.json").json()
    practices = document["paths"]["/api/v1/practices/"]["get"]
    assert {"200", "400", "404", "429"} <= set(practices["responses"])
    parameters = {p["name"]: p["schema"] for p in practices["parameters"]}
    assert parameters["page"] == {"type": "integer", "minimum": 1, "maximum": 1_000_000}
    assert parameters["page_size"]["maximum"] == 200
    assert parameters["year"]["enum"] == [2024]
    assert parameters["q"]["maxLength"] == 200
    assert "perhetyo" in parameters["theme"]["enum"]
    detail = document["paths"]["/api/v1/practices/{slug}/"]["get"]
    assert {"200", "404", "429"} <= set(detail["responses"])
    error = document["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code"}
