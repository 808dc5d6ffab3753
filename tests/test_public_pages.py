"""Anonymous public pages: no cookie, public Cache-Control with validators and 304s, one shared copy that no
signed-in variant ever reaches (nor the other way round), and every public change visible on the next request."""

import gzip
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.public_pages import public_cache_control
from awards.models import AwardCycle, DecisionEntry, JuryMembership
from awards.services.publication import cycle_publish, cycle_unpublish
from practices import public_version
from practices.models import Municipality, Theme
from tests.factories import (
    JuryMembershipFactory,
    PracticeFactory,
    UserFactory,
    decided_cycle,
    open_cycle_with_criteria,
)

pytestmark = pytest.mark.django_db


def publish(data, at=None):
    data.cycle.state = AwardCycle.State.PUBLISHED
    data.cycle.results_published_at = at or timezone.now() - timedelta(minutes=1)
    data.cycle.save()
    return data


@pytest.fixture
def site():
    """A published year naming all consenting nominees, a public practice in Imatra, an open call."""
    data = publish(decided_cycle(list_all_nominees=True))
    practice = data.winner.practice
    practice.is_public = True
    practice.save()
    practice.municipalities.add(Municipality.objects.get(code="153"))
    practice.themes.add(Theme.objects.get(slug="perhetyo"))
    open_cycle_with_criteria(year=data.cycle.year + 1)
    return data


# Every anonymous public page the issue lists (and the statements), as a function of the fixture's data.
PAGES = {
    "home": lambda d: "/fi/",
    "about": lambda d: "/fi/palkinto/",
    "call": lambda d: "/fi/palkinto/haku/",
    "archive": lambda d: "/fi/palkinto/arkisto/",
    "year": lambda d: f"/sv/palkinto/{d.cycle.year}/",
    "feed": lambda d: "/fi/palkinto/arkisto/syote/",
    "sitemap": lambda d: "/sitemap.xml",
    "library": lambda d: "/fi/kaytannot/",
    "library filtered": lambda d: "/fi/kaytannot/?theme=perhetyo&municipality=153",
    "library search": lambda d: "/en/kaytannot/?q=perhe",
    "practice": lambda d: d.winner.practice.get_absolute_url(),
    "municipalities": lambda d: "/fi/kunnat/",
    "municipality": lambda d: "/fi/kunnat/153/",
    "counties": lambda d: "/fi/hyvinvointialueet/",
    "county": lambda d: "/fi/hyvinvointialueet/11/",
    "regions": lambda d: "/fi/maakunnat/",
    "region": lambda d: "/fi/maakunnat/09/",
    "accessibility": lambda d: "/fi/saavutettavuus/",
    "privacy": lambda d: "/fi/tietosuoja/",
    "api practices": lambda d: "/api/v1/practices/",
    "api practice": lambda d: f"/api/v1/practices/{d.winner.practice.slug}/",
    "api practices search": lambda d: "/api/v1/practices/?q=perhe",
    "api awards": lambda d: "/api/v1/awards/",
    "api award": lambda d: f"/api/v1/awards/{d.cycle.year}/",
    "api municipalities": lambda d: "/api/v1/municipalities/",
    "api municipality": lambda d: "/api/v1/municipalities/153/",
    "api regions": lambda d: "/api/v1/regions/",
    "api counties": lambda d: "/api/v1/counties/",
    "api themes": lambda d: "/api/v1/themes/",
}


def assert_public(response):
    assert response.status_code == 200
    assert not response.cookies, f"cookies set: {list(response.cookies)}"
    assert not response.has_header("Set-Cookie")
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert "private" not in cache_control
    assert re.search(r"\bmax-age=\d+", cache_control)
    assert re.search(r"\bs-maxage=\d+", cache_control)
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"]
    assert "Cookie" in response["Vary"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_page_sets_no_cookie_and_is_public_with_validators(client, site, name):
    url = PAGES[name](site)
    first = client.get(url)
    assert_public(first)
    again = client.get(url)  # from the public copy: the same bytes and headers
    assert_public(again)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize("name", PAGES)
def test_repeated_conditional_get_is_304(client, site, name):
    url = PAGES[name](site)
    first = client.get(url)
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == first["ETag"]
    assert "public" in not_modified["Cache-Control"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='W/"something-else"').status_code == 200


def test_public_copy_is_sent_compressed_to_clients_that_accept_it(client, site):
    plain = client.get("/fi/kaytannot/")
    compressed = client.get("/fi/kaytannot/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert "Accept-Encoding" in compressed["Vary"]
    assert compressed["ETag"] == plain["ETag"]  # weak: the same page in either encoding


def _signed_in(kind, client, otp_login, site):
    if kind == "nominator":
        user = site.winner_nominator
        client.force_login(user)
    elif kind == "juror":
        user = JuryMembershipFactory(cycle=site.cycle, role=JuryMembership.Role.JUROR).user
        otp_login(client, user)
    else:
        user = UserFactory(is_staff=True)
        otp_login(client, user)
    user.first_name = f"Kirjautunut{kind.capitalize()}"  # a name found nowhere else on the pages
    user.save()
    return user


@pytest.mark.parametrize("kind", ["nominator", "juror", "staff"])
@pytest.mark.parametrize("name", ["home", "year", "library", "practice"])
def test_signed_in_user_never_gets_the_public_copy(client, otp_login, site, kind, name):
    url = PAGES[name](site)
    public = client.get(url)  # fills the public copy
    assert "Sign out" not in public.content.decode()
    user = _signed_in(kind, client, otp_login, site)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert user.get_short_name() in html
    assert "accounts/logout/" in html
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert not response.has_header("ETag")
    # Not even a 304 from the public copy's validator.
    assert client.get(url, HTTP_IF_NONE_MATCH=public["ETag"]).status_code == 200


@pytest.mark.parametrize("kind", ["nominator", "juror", "staff"])
@pytest.mark.parametrize("name", ["home", "year", "library", "practice"])
def test_public_never_gets_a_signed_in_copy(client, otp_login, site, kind, name):
    url = PAGES[name](site)
    user = _signed_in(kind, client, otp_login, site)
    signed_in = client.get(url)  # rendered for the signed-in user first
    assert user.get_short_name() in signed_in.content.decode()
    client.logout()
    client.cookies.clear()
    public = client.get(url)
    html = public.content.decode()
    assert_public(public)
    assert user.get_short_name() not in html
    assert "accounts/logout/" not in html
    assert "henkilokunta/kierrokset/" not in html  # no staff link


def test_staff_preview_never_becomes_the_public_page(client, otp_login):
    data = decided_cycle()
    otp_login(client, UserFactory(is_staff=True))
    preview = client.get(f"/fi/palkinto/{data.cycle.year}/julkistus/esikatselu/")
    assert data.winner.name in preview.content.decode()
    assert "private" in preview["Cache-Control"]
    client.logout()
    client.cookies.clear()
    assert client.get(f"/fi/palkinto/{data.cycle.year}/").status_code == 404
    assert data.winner.name not in client.get("/fi/palkinto/arkisto/").content.decode()


def test_flash_message_cookie_bypasses_the_public_copy(client, site):
    client.get("/fi/")
    client.cookies["messages"] = "anything"
    response = client.get("/fi/")
    assert "private" in response["Cache-Control"]


def test_pages_with_a_form_still_get_their_csrf_cookie(client):
    response = client.get("/fi/accounts/login/")
    assert "csrftoken" in response.cookies
    assert "public" not in response.get("Cache-Control", "")


def _private_practices(data):
    for nomination in (data.winner, data.mention, data.nominee, data.unconsented):
        nomination.practice.is_public = False  # public only through the published result
        nomination.practice.save()
    return data


def test_publish_shows_on_the_next_anonymous_request(client):
    data = _private_practices(decided_cycle())
    year = f"/fi/palkinto/{data.cycle.year}/"
    assert client.get(year).status_code == 404
    assert data.winner.name not in client.get("/fi/palkinto/arkisto/").content.decode()
    assert data.winner.practice.slug not in client.get("/api/v1/practices/").content.decode()
    cycle_publish(cycle=data.cycle, by=UserFactory(is_staff=True))
    assert data.winner.name in client.get(year).content.decode()
    assert data.winner.name in client.get("/fi/palkinto/arkisto/").content.decode()
    assert data.winner.practice.slug in client.get("/api/v1/practices/").content.decode()


def test_unpublish_shows_on_the_next_anonymous_request(client):
    data = _private_practices(decided_cycle())
    staff = UserFactory(is_staff=True)
    cycle_publish(cycle=data.cycle, by=staff)
    year = f"/fi/palkinto/{data.cycle.year}/"
    first = client.get(year)
    assert data.winner.name in first.content.decode()
    assert data.winner.name in client.get("/fi/palkinto/arkisto/").content.decode()
    cycle_unpublish(cycle=data.cycle, by=staff, reason="Virhe tiedotteessa.")
    assert client.get(year).status_code == 404
    assert client.get(year, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404
    assert data.winner.name not in client.get("/fi/palkinto/arkisto/").content.decode()
    assert data.winner.practice.slug not in client.get("/api/v1/practices/").content.decode()


def test_consent_change_shows_on_the_next_anonymous_request(client):
    data = publish(decided_cycle(list_all_nominees=True))
    year = f"/fi/palkinto/{data.cycle.year}/"
    assert data.nominee.name in client.get(year).content.decode()
    assert data.unconsented.name not in client.get(year).content.decode()
    # As the admin saves it: through the model, no service involved.
    data.nominee.consent_to_publish = False
    data.nominee.save()
    data.unconsented.consent_to_publish = True
    data.unconsented.save()
    html = client.get(year).content.decode()
    assert data.nominee.name not in html
    assert data.unconsented.name in html


def test_edited_citation_shows_on_the_next_anonymous_request(client):
    data = publish(decided_cycle())
    year = f"/fi/palkinto/{data.cycle.year}/"
    first = client.get(year)
    assert "Voittajan perustelu." in first.content.decode()
    entry = DecisionEntry.objects.get(nomination=data.winner)
    entry.citation_fi = "Korjattu perustelu."
    entry.save()
    again = client.get(year, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "Korjattu perustelu." in again.content.decode()
    assert "Voittajan perustelu." not in again.content.decode()
    api = client.get(f"/api/v1/awards/{data.cycle.year}/").json()
    assert "Korjattu perustelu." in [result["citation_fi"] for result in api["results"]]


def test_practice_edited_in_the_admin_shows_in_the_library(client, site):
    practice = PracticeFactory(name="Uusi käytäntö", is_public=False)
    assert "Uusi käytäntö" not in client.get("/fi/kaytannot/").content.decode()
    practice.is_public = True
    practice.save()
    assert "Uusi käytäntö" in client.get("/fi/kaytannot/").content.decode()
    practice.themes.add(Theme.objects.get(slug="perhetyo"))
    assert "Uusi käytäntö" in client.get("/fi/kaytannot/?theme=perhetyo").content.decode()


def test_scheduled_publication_shows_at_its_moment_and_proxies_keep_nothing_past_it(client):
    data = decided_cycle()
    moment = timezone.now() + timedelta(hours=1)
    cycle_publish(cycle=data.cycle, by=UserFactory(is_staff=True), at=moment)
    archive = client.get("/fi/palkinto/arkisto/")
    assert data.winner.name not in archive.content.decode()
    s_maxage = int(re.search(r"s-maxage=(\d+)", archive["Cache-Control"]).group(1))
    assert s_maxage <= 300
    with time_machine.travel(moment - timedelta(seconds=100)):
        near = client.get("/fi/palkinto/arkisto/")
        assert data.winner.name not in near.content.decode()
        assert re.search(r"s-maxage=(\d+)", near["Cache-Control"]).group(1) in {"99", "100"}
        assert "stale-while-revalidate=0" in near["Cache-Control"]
    with time_machine.travel(moment + timedelta(seconds=1)):
        assert data.winner.name in client.get("/fi/palkinto/arkisto/").content.decode()
        assert client.get(f"/fi/palkinto/{data.cycle.year}/").status_code == 200


def test_version_survives_a_lost_cache_without_serving_old_pages(client, site):
    before = public_version.current().number
    public_version.public_cache().delete_many([public_version.VERSION_KEY, public_version.UNTIL_KEY])
    after = public_version.current().number
    assert after != before


def test_cache_control_is_clamped_to_the_next_change():
    version = public_version.PublicVersion(number=1, until=None)
    assert public_cache_control(version) == {
        "public": True,
        "max_age": 60,
        "s_maxage": 300,
        "stale_while_revalidate": 60,
    }
