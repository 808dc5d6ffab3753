"""Security headers and the request body bound: Permissions-Policy everywhere, signed-in pages never cached for
others, and an over-large body refused from its Content-Length with a clear 413 in the user's language."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories import JuryMembershipFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/fi/", "/api/v1/regions/", "/fi/kaytannot/", "/fi/accounts/login/"])
def test_permissions_policy_on_every_response(client, url):
    response = client.get(url)
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


@pytest.mark.parametrize("who", ["nominator", "juror", "staff"])
@pytest.mark.parametrize("url_name", ["home", "accounts:profile", "awards:nomination_list", "library:library"])
def test_signed_in_pages_are_private_and_not_stored(client, otp_login, who, url_name):
    user = {
        "nominator": lambda: MembershipFactory(user__password=None).user,
        "juror": lambda: JuryMembershipFactory(user__password=None).user,
        "staff": lambda: UserFactory(is_staff=True, password=None),
    }[who]()
    otp_login(client, user)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives
    assert "Cookie" in response["Vary"]


def test_anonymous_public_page_is_not_marked_private(client):
    response = client.get(reverse("library:library"))
    assert "private" not in response.get("Cache-Control", "")


def test_a_views_own_private_choice_is_kept(client):
    from django.http import HttpResponse  # noqa: PLC0415

    from config.middleware import PrivateWhenSignedInMiddleware  # noqa: PLC0415

    user = UserFactory(password=None)
    response = HttpResponse("x")
    response["Cache-Control"] = "private, max-age=60"
    request = type("R", (), {"user": user})()
    assert PrivateWhenSignedInMiddleware(lambda r: response)(request)["Cache-Control"] == "private, max-age=60"
    public = HttpResponse("x")
    public["Cache-Control"] = "public, max-age=600"
    assert PrivateWhenSignedInMiddleware(lambda r: public)(request)["Cache-Control"] == "private, no-store"


def test_over_large_upload_is_refused_before_it_is_read_in_finnish(client):
    client.force_login(MembershipFactory(user__password=None).user)
    too_much = settings.REQUEST_BODY_MAX_BYTES + 1
    response = client.post(
        "/fi/ehdotukset/1/muokkaa/",
        data=b"--x--\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(too_much),
    )
    assert response.status_code == 413
    body = response.content.decode()
    with translation.override("fi"):
        assert translation.gettext("Too much at once") in body
    assert "<h1>" in body


def test_over_large_form_without_files_is_refused_by_djangos_own_bound(client):
    response = client.post(
        reverse("accounts:login"),
        data="username=a",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
    )
    assert response.status_code == 413
    assert "at most 2.5" in response.content.decode()


def test_body_within_bounds_passes(client):
    response = client.post(reverse("accounts:login"), {"username": "a@example.fi", "password": "x"})
    assert response.status_code == 200  # the sign-in form again, with its message


def test_over_large_body_to_the_api_answers_json(client):
    response = client.post(
        "/api/v1/practices/", data="{}", content_type="application/json", CONTENT_LENGTH=str(10 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
