"""The public year pages, the archive and the feed: visibility around the publication moment, content, caching."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from awards.models import AwardCycle, DecisionEntry, Nomination
from awards.selectors.publication import public_practices
from awards.services.publication import announcement_save, cycle_publish
from tests.factories import UserFactory, decided_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def publish(data, at=None):
    data.cycle.state = AwardCycle.State.PUBLISHED
    data.cycle.results_published_at = at or timezone.now() - timedelta(minutes=1)
    data.cycle.save()
    return data


def test_year_page_404_before_publication(client):
    data = decided_cycle()
    assert client.get(f"/fi/palkinto/{data.cycle.year}/").status_code == 404
    assert data.winner.name not in client.get("/fi/palkinto/arkisto/").content.decode()
    assert data.winner.name not in client.get("/fi/palkinto/arkisto/syote/").content.decode()
    assert not public_practices().filter(pk=data.winner.practice_id, is_public=False).exists()


def test_year_page_scheduled_moment_not_yet_reached_is_404(client):
    data = decided_cycle()
    moment = timezone.now() + timedelta(hours=2)
    data.winner.practice.is_public = False
    data.winner.practice.save()
    publish(data, at=moment)
    with time_machine.travel(moment - timedelta(seconds=1), tick=False):
        assert client.get(f"/fi/palkinto/{data.cycle.year}/").status_code == 404
        assert data.winner.name not in client.get("/fi/palkinto/arkisto/").content.decode()
        assert data.winner.name not in client.get("/fi/palkinto/arkisto/syote/").content.decode()
        assert not public_practices().filter(pk=data.winner.practice_id).exists()


def test_year_page_scheduled_moment_just_passed_is_public(client):
    data = decided_cycle()
    moment = timezone.now() + timedelta(hours=2)
    data.winner.practice.is_public = False
    data.winner.practice.save()
    publish(data, at=moment)
    with time_machine.travel(moment - timedelta(seconds=1), tick=False):
        # Seen (and cached) just before the moment: the archive must not keep serving the old page after it.
        assert data.winner.name not in client.get("/fi/palkinto/arkisto/").content.decode()
    with time_machine.travel(moment + timedelta(seconds=1), tick=False):
        response = client.get(f"/fi/palkinto/{data.cycle.year}/")
        assert response.status_code == 200
        assert "Voittajan perustelu." in response.content.decode()
        assert data.winner.name in client.get("/fi/palkinto/arkisto/").content.decode()
        assert data.winner.name in client.get("/fi/palkinto/arkisto/syote/").content.decode()
        assert public_practices().filter(pk=data.winner.practice_id).exists()


def test_year_page_shows_results_citations_and_consented_descriptions(client):
    data = publish(decided_cycle())
    body = client.get(f"/fi/palkinto/{data.cycle.year}/").content.decode()
    assert data.winner.name in body
    assert "Voittajan perustelu." in body
    assert "Maininnan perustelu." in body
    assert "Voittajan kuvaus." in body  # consented
    assert "Maininnan kuvaus." not in body  # no consent: named with its citation, description not shown
    assert data.nominee.name not in body  # the cycle does not name all nominees
    assert "Tiedote suomeksi." in body


def test_year_page_never_shows_contact_details(client):
    data = decided_cycle(list_all_nominees=True)
    publish(data)
    for path in (f"/fi/palkinto/{data.cycle.year}/", f"/en/palkinto/{data.cycle.year}/", "/fi/palkinto/arkisto/"):
        body = client.get(path).content.decode()
        assert "salainen.yhteys@example.fi" not in body
        assert "123 4567" not in body
    feed = client.get("/fi/palkinto/arkisto/syote/").content.decode()
    assert "salainen.yhteys" not in feed


def test_year_page_names_consented_nominees_when_cycle_lists_all(client):
    data = publish(decided_cycle(list_all_nominees=True))
    body = client.get(f"/fi/palkinto/{data.cycle.year}/").content.decode()
    assert data.nominee.name in body
    assert data.unconsented.name not in body


@pytest.mark.parametrize(
    ("language", "expected", "lang_attr"),
    [
        ("fi", "Voittajan perustelu.", "fi"),
        ("sv", "Vinnarens motivering.", "sv"),
        ("en", "Voittajan perustelu.", "fi"),  # no English citation: Finnish, marked as Finnish
    ],
)
def test_year_page_citation_in_visitor_language(client, language, expected, lang_attr):
    data = publish(decided_cycle())
    body = client.get(f"/{language}/palkinto/{data.cycle.year}/").content.decode()
    assert f'<blockquote class="blockquote fs-6" lang="{lang_attr}"><p>{expected}</p>' in body


def test_year_page_has_share_metadata(client):
    data = publish(decided_cycle())
    body = client.get(f"/fi/palkinto/{data.cycle.year}/").content.decode()
    assert '<meta property="og:title" content="Palkinto jaettiin">' in body
    assert f'<meta property="og:url" content="http://127.0.0.1:8000/fi/palkinto/{data.cycle.year}/">' in body
    assert '<meta name="twitter:card" content="summary">' in body
    assert '<meta property="og:description" content="Tiedote suomeksi.">' in body


def test_year_page_cache_invalidated_when_announcement_changes(client):
    data = publish(decided_cycle())
    url = f"/fi/palkinto/{data.cycle.year}/"
    assert "Tiedote suomeksi." in client.get(url).content.decode()
    assert "Tiedote suomeksi." in client.get(url).content.decode()  # served from the cache
    staff = UserFactory(is_staff=True)
    announcement_save(cycle=data.cycle, by=staff, title_fi="Uusi otsikko", text_fi="Korjattu tiedote.")
    body = client.get(url).content.decode()
    assert "Korjattu tiedote." in body
    assert "Tiedote suomeksi." not in body


def test_archive_cache_invalidated_on_publish(client):
    first = publish(decided_cycle())
    second = decided_cycle()
    assert second.winner.name not in client.get("/fi/palkinto/arkisto/").content.decode()
    staff = UserFactory(is_staff=True)
    cycle_publish(cycle=second.cycle, by=staff)
    body = client.get("/fi/palkinto/arkisto/").content.decode()
    assert second.winner.name in body
    assert first.winner.name in body


def test_year_page_conditional_get_not_modified_until_change(client):
    data = publish(decided_cycle())
    url = f"/fi/palkinto/{data.cycle.year}/"
    first = client.get(url)
    assert first["ETag"]
    assert first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    staff = UserFactory(is_staff=True)
    announcement_save(cycle=data.cycle, by=staff, title_fi="Uusi", text_fi="Muutettu.")
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert "Muutettu." in again.content.decode()


def test_year_page_unknown_etag_of_unpublished_year_is_404(client):
    data = decided_cycle()
    published = publish(decided_cycle())
    etag = client.get(f"/fi/palkinto/{published.cycle.year}/")["ETag"]
    assert client.get(f"/fi/palkinto/{data.cycle.year}/", HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_year_page_uncached_for_signed_in_users(client):
    data = publish(decided_cycle())
    client.force_login(UserFactory())
    response = client.get(f"/fi/palkinto/{data.cycle.year}/")
    assert response.status_code == 200
    assert not response.has_header("ETag")


def test_archive_page_query_count_one_year(client, django_assert_num_queries):
    publish(decided_cycle())
    with django_assert_num_queries(3):  # the public version's next moment, cycles, entries
        response = client.get("/fi/palkinto/arkisto/")
    assert response.status_code == 200


def test_archive_page_query_count_many_years(client, django_assert_num_queries):
    for _ in range(6):
        publish(decided_cycle())
    with django_assert_num_queries(3):
        response = client.get("/en/palkinto/arkisto/")
    assert response.content.decode().count("Voittajan perustelu.") == 0  # the archive lists names, not citations
    assert response.content.decode().count("<dt>Winner</dt>") == 6


def test_year_page_query_count_with_many_nominees(client, django_assert_num_queries):
    data = publish(decided_cycle(list_all_nominees=True))
    from tests.factories.publication import submitted_nomination  # noqa: PLC0415

    for _ in range(10):
        submitted_nomination(data.cycle, consent_to_publish=True)
    with django_assert_num_queries(5):  # the public version's next moment, cycle, entries, images, nominees
        response = client.get(f"/fi/palkinto/{data.cycle.year}/")
    assert response.status_code == 200
    with django_assert_num_queries(0):  # the public copy: the version is read from the cache
        client.get(f"/fi/palkinto/{data.cycle.year}/")


def test_archive_from_history_file(client):
    call_command("load_award_history", verbosity=0)
    call_command("load_award_history", verbosity=0)  # idempotent
    assert AwardCycle.objects.filter(year__in=[2013, 2017]).count() == 2
    assert Nomination.objects.filter(cycle__year=2013).count() == 9
    assert DecisionEntry.objects.filter(decision__cycle__year=2017).count() == 3
    archive = client.get("/fi/palkinto/arkisto/").content.decode()
    assert "Hyvinvointineuvola, Imatran kaupunki" in archive
    assert "SOS-kumppanuusmalli, Varkauden kaupunki ja SOS-Lapsikylä" in archive
    assert "Lasten ja nuorten neuropsykiatrinen työryhmä (Nepsytiimi), Hämeenlinnan kaupunki" in archive
    assert "Lastensuojelun Instagram-tili @vantaanlastensuojelu, Vantaan kaupunki" in archive
    year_2013 = client.get("/fi/palkinto/2013/").content.decode()
    for name in (
        "Toppari-tiimi",
        "SABIR – Tidig öppen dialog",
        "Lastensuojelun palveluohjaus",
        "Oulun hyvinvointineuvola",
    ):
        assert name in year_2013
    assert year_2013.count("<li>") >= 9
    year_2017 = client.get("/sv/palkinto/2017/").content.decode()
    assert "Det förebyggande arbetet når alla barnfamiljer" in year_2017
    assert "All nominees" not in year_2017


def test_feed_lists_published_announcements(client):
    data = publish(decided_cycle())
    hidden = decided_cycle()
    hidden.announcement.title_fi = "Salainen otsikko"
    hidden.announcement.save()
    feed = client.get("/fi/palkinto/arkisto/syote/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert "Palkinto jaettiin" in body
    assert f"/fi/palkinto/{data.cycle.year}/" in body
    assert "Salainen otsikko" not in body


def test_public_pages_may_be_kept_briefly_by_browsers_and_longer_by_proxies(client):
    data = publish(decided_cycle())
    for url in (f"/fi/palkinto/{data.cycle.year}/", "/fi/palkinto/arkisto/"):
        cache_control = client.get(url)["Cache-Control"]
        assert "public" in cache_control
        assert "max-age=60" in cache_control
        assert "s-maxage=300" in cache_control


def test_sitemap_lists_only_published_years(client):
    published = publish(decided_cycle())
    scheduled = decided_cycle()
    publish(scheduled, at=timezone.now() + timedelta(days=1))
    unpublished = decided_cycle()
    body = client.get("/sitemap.xml").content.decode()
    assert f"/fi/palkinto/{published.cycle.year}/" in body
    assert f"/sv/palkinto/{published.cycle.year}/" in body
    assert "/fi/palkinto/arkisto/" in body
    assert f"/palkinto/{scheduled.cycle.year}/" not in body
    assert f"/palkinto/{unpublished.cycle.year}/" not in body


def test_year_page_cache_invalidated_when_nomination_changes(client):
    data = publish(decided_cycle())
    url = f"/fi/palkinto/{data.cycle.year}/"
    assert data.winner.name in client.get(url).content.decode()
    data.winner.name = "Korjattu nimi"
    data.winner.save()
    assert "Korjattu nimi" in client.get(url).content.decode()
