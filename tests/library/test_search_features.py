"""The library's forgiving search: why a result matched, "Did you mean", any-of-the-words, search-as-you-type,
evidence levels, and hostile input to the new endpoints."""

import re
from datetime import date

import pytest
from django.db import IntegrityError

from practices.models import EvidenceLevel, Municipality, Practice, Theme
from tests.factories import OrganisationFactory, PracticeFactory

pytestmark = pytest.mark.django_db

LIBRARY = "/en/kaytannot/"
SUGGESTIONS = "/en/kaytannot/ehdotukset/"


def result_names(response) -> list[str]:
    html = response.content.decode()
    return [
        re.sub(r"<[^>]+>", "", name).strip()
        for name in re.findall(r'<h3 class="h5 card-title"[^>]*>(.*?)</h3>', html, re.S)
    ]


def snippet_of(response) -> str:
    return re.search(r'<p class="card-text snippet"[^>]*>(.*?)</p>', response.content.decode(), re.S).group(1)


def test_snippet_marks_the_compound_found_through_its_part(client):
    PracticeFactory(name="Tuki kotiin", summary="Perheet saavat päihdetyön tukea <kotiin>.")
    response = client.get(LIBRARY, {"q": "päihde"})
    snippet = snippet_of(response)
    assert "<mark>päihdetyön</mark>" in snippet
    assert "&lt;kotiin&gt;" in snippet


def test_match_in_a_place_name_is_shown_as_the_reason(client):
    practice = PracticeFactory(name="Kehittäjäryhmä", summary="Nuoret kehittävät palveluja.")
    practice.municipalities.add(Municipality.objects.get(code="092"))
    response = client.get(LIBRARY, {"q": "Vanda"})
    assert result_names(response) == ["Kehittäjäryhmä"]
    reason = re.search(r'<p class="card-text small mb-1 match-reason">(.*?)</p>', response.content.decode(), re.S)
    assert "<mark>Vanda</mark> (municipality)" in reason.group(1)


def test_typo_gets_did_you_mean_and_its_results(client):
    PracticeFactory(name="Perhekumppani", summary="Jalkautuu perheen arkeen.")
    PracticeFactory(name="Muu", summary="Koulun tuki.", is_public=True)
    response = client.get(LIBRARY, {"q": "perhekumpani"})
    assert response.context["corrected_query"] == "perhekumppani"
    assert result_names(response) == ["Perhekumppani"]
    assert "Did you mean <strong>perhekumppani</strong>?" in response.content.decode()


def test_did_you_mean_never_offers_a_word_only_a_hidden_practice_has(client):
    PracticeFactory(name="Salainen luonnos", summary="Kvanttiperhetyö.", is_public=False)
    response = client.get(LIBRARY, {"q": "kvanttiperhetyo"})
    assert response.context["corrected_query"] == ""
    assert result_names(response) == []
    assert "Kvanttiperhetyö" not in response.content.decode()


def test_words_no_practice_has_all_of_fall_back_to_some_of_them(client):
    PracticeFactory(name="Kriisiperhehoito", summary="Kiireellisesti sijoitettu vauva pääsee perheeseen.")
    response = client.get(LIBRARY, {"q": "vauva avaruusmatkailu"})
    assert response.context["some_words"] is True
    assert result_names(response) == ["Kriisiperhehoito"]
    assert "No practice has all the words" in response.content.decode()


def test_search_as_you_type_fragment_and_page_without_javascript(client):
    practice = PracticeFactory(name="Perhekumppani", summary="Perhetyö kotona.")
    practice.municipalities.add(Municipality.objects.get(code="092"))
    PracticeFactory(name="Piilotettu perhekoulu", summary="Perhekoulu.", is_public=False)
    fragment = client.get(SUGGESTIONS, {"q": "perhe", "partial": "1"})
    html = fragment.content.decode()
    assert "<html" not in html
    assert ">perhetyö</a>" in html
    assert "Perhekumppani</a>" in html  # the practice itself, linked to its page
    assert "perhekoulu" not in html.lower()  # only words and names public practices have
    page = client.get(SUGGESTIONS, {"q": "Van"})
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    assert ">Vantaa</a>" in page.content.decode()


def test_search_form_offers_suggestions_without_javascript(client):
    html = client.get(LIBRARY).content.decode()
    assert f'formaction="{SUGGESTIONS}"' in html
    assert 'data-suggest-url="/en/kaytannot/ehdotukset/"' in html


@pytest.mark.parametrize("count", [1, 10])
def test_suggestions_query_count_constant(client, django_assert_num_queries, count):
    for n in range(count):
        practice = PracticeFactory(name=f"Perhetyö {n}", summary="Perheille tukea.")
        practice.municipalities.add(Municipality.objects.get(code="092"))
    # The public version's next scheduled moment (read once after a change), words, places, practices.
    with django_assert_num_queries(4):
        response = client.get(SUGGESTIONS, {"q": "perhe", "partial": "1"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    ["perhe\x00", "\x00", "a" * 10_000, "' OR 1=1 --", "perhe & | ! <-> :*", "<script>alert(1)</script>", "((("],
)
def test_hostile_suggestion_queries_give_a_normal_answer(client, query):
    PracticeFactory(name="Perhetyö", summary="Tukea.")
    for params in ({"q": query}, {"q": query, "partial": "1"}):
        response = client.get(SUGGESTIONS, params)
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_hostile_ten_thousand_characters_of_words_are_refused_with_a_message(client):
    PracticeFactory(name="Perhetyö", summary="Tukea.")
    response = client.get(LIBRARY, {"q": "päihdetyö " * 1000})
    assert "200" in response.context["form"].errors["q"][0]


def test_hostile_operators_and_nul_inside_words_still_search(client):
    PracticeFactory(name="Perhetyö", summary="Tukea kotiin.")
    for query in ("perhe\x00työ", "perhetyö:*", "!perhetyö", "perhetyö<->", "(perhetyö)"):
        response = client.get(LIBRARY, {"q": query})
        assert response.status_code == 200
        assert result_names(response) == ["Perhetyö"], query


# --- evidence levels ----------------------------------------------------------------------------------------------


def _rated(name: str, level: str) -> Practice:
    return PracticeFactory(
        name=name,
        evidence_level=level,
        evidence_rated_by="Itla (Kasvun tuki)",
        evidence_rated_on=date(2025, 3, 1),
        evidence_url="https://kasvuntuki.fi/menetelmat/esimerkki/",
    )


def test_evidence_filter_facet_and_card(client):
    _rated("Vahva", EvidenceLevel.STRONG_EVIDENCE)
    _rated("Kuvattu", EvidenceLevel.WELL_DESCRIBED)
    PracticeFactory(name="Arvioimaton")
    response = client.get(LIBRARY, {"evidence": "strong_evidence"})
    assert result_names(response) == ["Vahva"]
    assert "5 Strong documented evidence" in response.content.decode()
    choices = dict(client.get(LIBRARY).context["form"].fields["evidence"].choices)
    assert choices["strong_evidence"].endswith("(1)")
    assert choices["no_effect"].endswith("(0)")


def test_evidence_in_the_api_and_on_the_practice_page(client):
    practice = _rated("Vahva", EvidenceLevel.STRONG_EVIDENCE)
    PracticeFactory(name="Arvioimaton")
    data = {p["name"]: p for p in client.get("/api/v1/practices/").json()["results"]}
    assert data["Vahva"]["evidence"] == {
        "level": "strong_evidence",
        "label_fi": "5 Vahva dokumentoitu näyttö",
        "label_sv": "5 Stark dokumenterad evidens",
        "label_en": "5 Strong documented evidence",
        "rated_by": "Itla (Kasvun tuki)",
        "rated_on": "2025-03-01",
        "url": "https://kasvuntuki.fi/menetelmat/esimerkki/",
    }
    assert data["Arvioimaton"]["evidence"] is None
    assert [p["name"] for p in client.get("/api/v1/practices/", {"evidence": "strong_evidence"}).json()["results"]] == [
        "Vahva"
    ]
    assert client.get("/api/v1/practices/", {"evidence": "invented"}).status_code == 400
    page = client.get(f"/en/kaytannot/{practice.slug}/").content.decode()
    assert "Rated by Itla (Kasvun tuki)" in page
    assert 'href="https://kasvuntuki.fi/menetelmat/esimerkki/"' in page


def test_evidence_rating_needs_its_body_and_date(db):
    with pytest.raises(IntegrityError):
        PracticeFactory(name="Puolikas", evidence_level=EvidenceLevel.SOME_EVIDENCE)


def test_evidence_entered_by_staff_in_the_admin(client, otp_login):
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415

    staff = get_user_model().objects.create_superuser(email="admin@example.fi", password="x" * 20)
    otp_login(client, staff)
    practice = PracticeFactory(name="Arvioitava")
    url = reverse("admin:practices_practice_change", args=[practice.pk])
    base = {"name": practice.name, "slug": practice.slug, "language": "fi", "summary": practice.summary}
    incomplete = client.post(url, {**base, "evidence_level": "documented_evidence"})
    assert incomplete.status_code == 200
    assert "Give the body that rated the practice" in incomplete.content.decode()
    complete = client.post(
        url,
        {
            **base,
            "evidence_level": "documented_evidence",
            "evidence_rated_by": "Itla",
            "evidence_rated_on": "2025-05-02",
            "evidence_url": "https://kasvuntuki.fi/",
        },
    )
    assert complete.status_code == 302
    practice.refresh_from_db()
    assert practice.evidence_level == "documented_evidence"


def test_search_finds_organisation_names_with_typos(client):
    practice = PracticeFactory(name="Kotikäynnit", summary="Tukea arkeen.")
    practice.organisations.add(OrganisationFactory(name="Kuusiokuntien sosiaalipalvelut"))
    practice.themes.add(Theme.objects.get(slug="perhetyo"))
    response = client.get(LIBRARY, {"q": "Kuusiokunien"})
    assert result_names(response) == ["Kotikäynnit"]
