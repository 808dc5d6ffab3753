"""Site-wide pages and endpoints: home, language prefixes, health check, security headers."""

from unittest import mock

import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.django_db


def test_healthz_ok_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "search": {"analyser": "voikko"}}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_503_when_database_fails(client):
    with mock.patch("config.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.parametrize(
    ("prefix", "text"),
    [("fi", "Kunnallinen lastensuojeluteko"), ("sv", "Kunnallinen lastensuojeluteko"), ("en", "Kuntaliitto")],
)
def test_home_page_in_each_language(client, prefix, text):
    response = client.get(f"/{prefix}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{prefix}">' in body
    assert text in body
    assert 'href="#main"' in body
    assert "Tilastokeskus" in body


def test_root_redirects_to_finnish(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fi/"


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/fi/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    ("path", "text"),
    [("/fi/saavutettavuus/", "WCAG 2.1"), ("/fi/tietosuoja/", "mailto:palaute@lastensuojeluteko.example")],
)
def test_statement_pages_linked_from_footer(client, path, text):
    home = client.get("/fi/").content.decode()
    assert f'href="{path}"' in home
    response = client.get(path)
    assert response.status_code == 200
    assert text in response.content.decode()


def test_public_media_served_without_debug(client, settings):
    settings.DEBUG = False
    folder = settings.MEDIA_ROOT / "announcements" / "2099"
    folder.mkdir(parents=True)
    (folder / "kuva.png").write_bytes(b"\x89PNG\r\n\x1a\n-test")
    response = client.get("/media/announcements/2099/kuva.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).endswith(b"-test")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_public_media_refuses_paths_outside_media_root(client, settings):
    (settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT.parent / "secret.txt").write_text("salainen")
    for url in ["/media/../secret.txt", "/media/%2e%2e/secret.txt"]:
        response = client.get(url)
        assert response.status_code in {400, 404}
        assert b"salainen" not in response.content
