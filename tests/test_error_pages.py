"""The error pages: the site's layout in the visitor's language with a way on; the 500 page without the database."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def assert_site_page(response, language: str) -> str:
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert '<main id="main"' in body
    assert f'href="/{language}/"' in body  # the front page, a way on
    assert f'href="/{language}/kaytannot/"' in body
    assert "DEBUG" not in body
    return body


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_404_page_has_the_layout_in_the_visitors_language(client, language):
    response = client.get(f"/{language}/ei-tallaista-sivua/")
    assert response.status_code == 404
    assert_site_page(response, language)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_500_page_renders_with_the_database_unavailable(client, django_db_blocker, language):
    client.raise_request_exception = False
    with django_db_blocker.block():  # every query now raises, in the view and in the error handler alike
        response = client.get(f"/{language}/")
    assert response.status_code == 500
    assert_site_page(response, language)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_csrf_failure_page_has_the_layout_and_the_right_language(language):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/{language}/accounts/login/", {"username": "a@example.fi", "password": "x"})
    assert response.status_code == 403
    body = assert_site_page(response, language)
    assert 'lang="en"' not in body.split("<body>")[0]


def test_403_page_has_the_layout(client):
    from tests.factories import UserFactory  # noqa: PLC0415

    client.force_login(UserFactory())
    response = client.get("/fi/accounts/staff/invitations/")
    assert response.status_code == 403
    assert_site_page(response, "fi")
