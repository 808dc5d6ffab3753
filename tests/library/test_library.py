"""The public practice library page: search, ranking, highlighting, filters and their counts, public boundary."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from awards.models import AwardCycle
from library.selectors import render_headline, with_card_links
from practices.models import Municipality, Organisation, Practice, TargetGroup, Theme, WellbeingServicesCounty
from tests.factories import OrganisationFactory, PracticeFactory
from tests.factories.library import nominate, published_cycle

pytestmark = pytest.mark.django_db

LIBRARY = "/en/kaytannot/"  # English labels: the tests read the source strings


def result_names(response) -> list[str]:
    """Names of the practices listed on the page, in order."""
    html = response.content.decode()
    return [
        re.sub(r"<[^>]+>", "", name).strip()
        for name in re.findall(r'<h3 class="h5 card-title"[^>]*>(.*?)</h3>', html, re.S)
    ]


def test_library_search_inflected_finnish_form_finds_base_form(client):
    PracticeFactory(name="Perhekumppani", summary="Tukea koko perhe arkeen.")
    PracticeFactory(name="Koulun poissaolot", summary="Poissaoloihin puututaan ajoissa.")
    response = client.get(LIBRARY, {"q": "perheille"})
    assert response.status_code == 200
    assert result_names(response) == ["Perhekumppani"]


def test_library_search_ranks_name_match_before_body_match(client):
    PracticeFactory(name="Kotikäynnit", summary="Tukea arkeen.", basic_idea="Perhetyö kulkee mukana.")
    PracticeFactory(name="Perhetyö kotona", summary="Tukea arkeen.")
    response = client.get(LIBRARY, {"q": "perhetyötä"})
    assert result_names(response) == ["Perhetyö kotona", "Kotikäynnit"]


def test_library_search_no_result_says_so(client):
    PracticeFactory(name="Perhekumppani", summary="Tukea perheelle.")
    response = client.get(LIBRARY, {"q": "avaruusmatkailu"})
    assert result_names(response) == []
    assert "No practices match the search" in response.content.decode()


def test_library_search_swedish_description_matched_with_swedish_configuration(client):
    PracticeFactory(name="Familjecentret", summary="Öppna dialogmöten med familjerna.", language="sv")
    PracticeFactory(name="Perhekeskus", summary="Perheiden palvelut yhdessä paikassa.")
    response = client.get(LIBRARY, {"q": "familj"})
    assert result_names(response) == ["Familjecentret"]


def test_library_search_english_description_matched_with_english_configuration(client):
    PracticeFactory(name="Family mentors", summary="Mentoring for families in need.", language="en")
    response = client.get(LIBRARY, {"q": "mentored family"})
    assert result_names(response) == ["Family mentors"]


def test_library_search_highlights_matches_and_escapes_description_text(client):
    PracticeFactory(
        name="Perhetyö", summary='<script>alert("x")</script> Perheille tukea & apua, kun 3 < 4 <b>kotona</b>.'
    )
    html = client.get(LIBRARY, {"q": "perhe"}).content.decode()
    snippet = re.search(r'<p class="card-text snippet"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert "<mark>Perheille</mark>" in snippet
    assert "tukea &amp; apua" in snippet
    assert "3 &lt; 4" in snippet
    assert "<script" not in snippet
    assert "<b>" not in snippet
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0


def test_library_without_query_lists_all_public_practices_by_name(client):
    PracticeFactory(name="Beta")
    PracticeFactory(name="Alfa")
    assert result_names(client.get(LIBRARY)) == ["Alfa", "Beta"]


def test_library_paginates_and_keeps_filters_in_page_links(client):
    theme = Theme.objects.get(slug="perhetyo")
    for n in range(23):
        PracticeFactory(name=f"Perhetyö {n:02d}", summary="Perhe.").themes.add(theme)
    response = client.get(LIBRARY, {"q": "perhe", "theme": "perhetyo"})
    html = response.content.decode()
    assert len(result_names(response)) == 20
    assert "?q=perhe&amp;theme=perhetyo&amp;page=2" in html
    second = client.get(LIBRARY, {"q": "perhe", "theme": "perhetyo", "page": 2})
    assert len(result_names(second)) == 3


# --- filters -------------------------------------------------------------------------------------------------


@pytest.fixture
def two_practices():
    """Two public practices that differ in every filterable respect."""
    imatra = Municipality.objects.get(code="153")  # Etelä-Karjala, county 11
    vantaa = Municipality.objects.get(code="092")  # Uusimaa, county 04
    first = PracticeFactory(name="Ensimmäinen")
    first.themes.add(Theme.objects.get(slug="perhetyo"))
    first.target_groups.add(TargetGroup.objects.get(slug="lapsiperheet"))
    first.municipalities.add(imatra)
    first.counties.add(imatra.county)
    first.organisations.add(OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY))
    second = PracticeFactory(name="Toinen")
    second.themes.add(Theme.objects.get(slug="ennaltaehkaisy"))
    second.target_groups.add(TargetGroup.objects.get(slug="nuoret"))
    second.municipalities.add(vantaa)
    second.counties.add(vantaa.county)
    second.organisations.add(OrganisationFactory(kind=Organisation.Kind.WELLBEING_COUNTY))
    nominate(first, published_cycle(2017), "winner")
    nominate(second, published_cycle(2013, list_all_nominees=True), None, consent_to_publish=True)
    return first, second


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        ("theme", "perhetyo", ["Ensimmäinen"]),
        ("theme", "ennaltaehkaisy", ["Toinen"]),
        ("target_group", "nuoret", ["Toinen"]),
        ("region", "09", ["Ensimmäinen"]),
        ("region", "01", ["Toinen"]),
        ("county", "04", ["Toinen"]),
        ("municipality", "153", ["Ensimmäinen"]),
        ("organisation_kind", "wellbeing_county", ["Toinen"]),
        ("result", "winner", ["Ensimmäinen"]),
        ("result", "nominee", ["Toinen"]),
        ("result", "finalist", []),
        ("year", "2013", ["Toinen"]),
        ("year", "2017", ["Ensimmäinen"]),
    ],
)
def test_library_filter_by_each_value(client, two_practices, param, value, expected):
    response = client.get(LIBRARY, {param: value})
    assert result_names(response) == expected
    assert not response.context["form"].errors


def test_library_filters_combine(client, two_practices):
    assert result_names(client.get(LIBRARY, {"theme": "perhetyo", "region": "09", "result": "winner"})) == [
        "Ensimmäinen"
    ]
    assert result_names(client.get(LIBRARY, {"theme": "perhetyo", "region": "01"})) == []


def test_library_year_and_result_apply_to_the_same_nomination(client, two_practices):
    first, _second = two_practices
    nominate(first, published_cycle(2019, list_all_nominees=True), None, consent_to_publish=True)
    assert result_names(client.get(LIBRARY, {"year": "2019", "result": "nominee"})) == ["Ensimmäinen"]
    assert result_names(client.get(LIBRARY, {"year": "2019", "result": "winner"})) == []
    assert result_names(client.get(LIBRARY, {"year": "2017", "result": "winner"})) == ["Ensimmäinen"]


def test_library_facet_counts_label_the_choices(client, two_practices):
    # English labels: the assertion is about the counts, not the translation.
    form = client.get(LIBRARY.replace("/fi/", "/en/", 1), {"region": "09"}).context["form"]
    themes = dict(form.fields["theme"].choices)
    regions = dict(form.fields["region"].choices)
    # Other filters count within the current region; the region's own counts ignore the region filter.
    assert themes["perhetyo"] == "Family work (1)"
    assert themes["ennaltaehkaisy"] == "Prevention (0)"
    assert regions["09"].endswith("(1)")
    assert regions["01"].endswith("(1)")
    assert dict(form.fields["year"].choices)[2017] == "2017 (1)"
    assert dict(form.fields["result"].choices)["winner"] == "winner (1)"
    municipalities = dict(form.fields["municipality"].choices)
    assert set(municipalities) == {"", "153"}  # only municipalities with practices are offered


def test_library_unknown_filter_values_reported_and_ignored(client, two_practices):
    response = client.get(LIBRARY, {"theme": "ei-ole", "region": "99", "year": "1999", "q": "", "page": "x"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"theme", "region", "year"}
    assert result_names(response) == ["Ensimmäinen", "Toinen"]
    assert "Some of the search could not be used" in response.content.decode()
    # Each message by its field, which says it is invalid and where its message is (WCAG 3.3.1).
    html = response.content.decode()
    for name in ("theme", "region", "year"):
        field = re.search(rf'<select name="{name}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in field
        assert re.search(r'class="[^"]*\bis-invalid\b', field)
        assert f'aria-describedby="id_{name}_error"' in field
        box = html[html.index(f'<div id="div_id_{name}"') :]
        box = box[: box.index("</select>") + 200]
        assert re.search(rf'<div id="id_{name}_error" class="invalid-feedback">.*valid choice.*</div>', box)
    text_field = re.search(r'<input type="search" name="q"[^>]*>', html).group(0)
    assert "aria-invalid" not in text_field
    assert 'aria-describedby="id_q_helptext"' in text_field


# --- the public boundary ---------------------------------------------------------------------------------------


def test_library_hides_practice_neither_marked_public_nor_with_public_result(client):
    PracticeFactory(name="Salainen", is_public=False)
    assert result_names(client.get(LIBRARY)) == []
    assert result_names(client.get(LIBRARY, {"q": "salainen"})) == []


def test_library_shows_unmarked_practice_once_its_result_is_published(client):
    practice = PracticeFactory(name="Palkittu", is_public=False)
    nominate(practice, published_cycle(2024), "honourable_mention")
    response = client.get(LIBRARY.replace("/fi/", "/en/", 1))
    assert result_names(response) == ["Palkittu"]
    assert "2024: honourable mention" in response.content.decode()


def test_library_hides_result_scheduled_for_the_future(client):
    practice = PracticeFactory(name="Tuleva voittaja", is_public=False)
    nominate(practice, published_cycle(2025, published_at=timezone.now() + timedelta(hours=2)), "winner")
    response = client.get(LIBRARY)
    assert result_names(response) == []
    assert dict(response.context["form"].fields["year"].choices).get(2025) is None


def test_library_hides_result_of_unpublished_cycle_and_award_of_public_practice(client):
    practice = PracticeFactory(name="Julkinen käytäntö", is_public=True)
    nominate(practice, published_cycle(2025, state=AwardCycle.State.DECIDED), "winner")
    response = client.get(LIBRARY)
    assert result_names(response) == ["Julkinen käytäntö"]
    assert "winner" not in response.content.decode().split('id="h-results"')[1]
    assert result_names(client.get(LIBRARY, {"result": "winner"})) == []


def test_library_hides_draft_decision_of_published_cycle(client):
    practice = PracticeFactory(name="Luonnos", is_public=False)
    nominate(practice, published_cycle(2023), "winner", decision_state="draft")
    assert result_names(client.get(LIBRARY)) == []


# --- constant number of queries --------------------------------------------------------------------------------


def _rich_practices(count: int):
    themes = list(Theme.objects.filter(slug__in=["perhetyo", "ennaltaehkaisy"]))
    municipalities = list(Municipality.objects.filter(code__in=["153", "092", "091"]))
    cycle = published_cycle(2020)
    for n in range(count):
        # Every other practice is hidden: not marked public and without a public result.
        practice = PracticeFactory(name=f"Perhetyö {n}", summary="Perheille tukea.", is_public=False)
        practice.themes.add(*themes)
        practice.municipalities.add(*municipalities)
        practice.organisations.add(OrganisationFactory())
        if n % 2 == 0:
            nominate(practice, cycle, "finalist")


SEARCHED = {"q": "perheille", "theme": "perhetyo", "year": "2020"}


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize(("params", "queries"), [({}, 11), (SEARCHED, 11)])
def test_library_query_count_constant(client, django_assert_num_queries, count, params, queries):
    """In a transaction with a public change not counted yet (the test's own data), as after any change until
    it commits: the choices and the counts read afresh."""
    _rich_practices(count)
    # 1 for the public version's next scheduled moment (once after a change), 6 for the choices, 1 for all facet
    # counts and the number of results, the page, its cards' links (organisations, municipalities, themes and,
    # for the results of a text search, counties, target groups and the municipalities' regions, whose names
    # can explain a match) and their awards (no facet index in a transaction that has changed public data).
    with django_assert_num_queries(queries):
        response = client.get(LIBRARY, params)
    assert len(result_names(response)) == min((count + 1) // 2, 20)
    with django_assert_num_queries(0):  # the public copy
        assert client.get(LIBRARY, params).content == response.content


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize(("params", "queries"), [({"theme": "perhetyo"}, 5), (SEARCHED, 6), ({"q": "perheille"}, 6)])
def test_library_query_count_constant_with_the_facet_index(
    client, django_assert_num_queries, committed, *, count, params, queries
):
    """Once public data is committed and counted: the choices and the counts come from the facet index."""
    with committed():
        _rich_practices(count)
    client.get(LIBRARY, {"theme": "ennaltaehkaisy"})  # builds the index (its counts)
    client.get(LIBRARY, {"theme": "ennaltaehkaisy", "page": "2"})  # keeps the choices with it
    # The number of counted public changes twice (the choices, the counts), the ids of the practices matching
    # the text when there is one, the page, its cards' links, and the number of counted changes again for the
    # cards' awards, which the index holds. A search of the text alone reads its page as ranked ids with the
    # ids of all its matches, then the page's practices by id: as many.
    with django_assert_num_queries(queries):
        response = client.get(LIBRARY, params)
    assert len(result_names(response)) == min((count + 1) // 2, 20)


def test_card_links_are_the_practices_links_in_their_models_order():
    municipalities = list(Municipality.objects.order_by("?")[:6])
    themes, groups = list(Theme.objects.all()), list(TargetGroup.objects.all())
    counties = list(WellbeingServicesCounty.objects.all()[:4])
    for n in range(5):
        practice = PracticeFactory(name=f"Linkitetty {n}")
        practice.municipalities.add(*municipalities[n:])
        practice.themes.add(*themes[: n + 1])
        practice.target_groups.add(*groups[n:])
        practice.counties.add(*counties[:n])
        practice.organisations.add(*(OrganisationFactory(name=f"Järjestö {n}.{k}") for k in range(n % 3 + 1)))
    PracticeFactory(name="Ilman linkkejä")
    practices = list(Practice.objects.order_by("name"))
    cards = with_card_links(list(Practice.objects.order_by("name")), matching=True)
    relations = ("organisations", "municipalities", "counties", "themes", "target_groups")
    for practice, card in zip(practices, cards, strict=True):
        for relation in relations:
            expected = [(thing.pk, str(thing)) for thing in getattr(practice, relation).order_by(*_order(relation))]
            assert [(thing.pk, str(thing)) for thing in getattr(card, f"card_{relation}")] == expected, relation
        assert [m.region.name_fi for m in card.card_municipalities] == [
            m.region.name_fi for m in practice.municipalities.order_by(*_order("municipalities"))
        ]
    assert sum(len(card.card_municipalities) for card in cards) > 5  # the links are there to compare
    only_shown = with_card_links(list(Practice.objects.order_by("name")))
    assert not hasattr(only_shown[0], "card_counties")
    assert [m.pk for m in only_shown[0].card_municipalities] == [m.pk for m in cards[0].card_municipalities]


def _order(relation: str) -> list[str]:
    model = Practice._meta.get_field(relation).related_model
    return [*model._meta.ordering, "pk"]


def test_library_county_filter_includes_practices_of_its_municipalities(client):
    lappeenranta = Municipality.objects.get(code="405")  # Etelä-Karjala, county 11, no direct county link
    practice = PracticeFactory(name="Lappeenrannan malli")
    practice.municipalities.add(lappeenranta)
    PracticeFactory(name="Muualla")
    response = client.get(LIBRARY, {"county": "11"})
    assert result_names(response) == ["Lappeenrannan malli"]
    assert dict(response.context["form"].fields["county"].choices)["11"].endswith("(1)")


def test_render_headline_escapes_text_and_balances_highlight_tags():
    raw = "a < b \ue000perhe\ue001 & \ue000<i>x</i>\ue001 \ue001 loose \ue000"
    assert str(render_headline(raw)) == "a &lt; b <mark>perhe</mark> &amp; <mark>&lt;i&gt;x&lt;/i&gt;</mark>  loose "


def test_library_in_swedish_interface_searches_the_same_way(client):
    PracticeFactory(name="Perhekumppani", summary="Tukea koko perhe arkeen.")
    with translation.override("sv"):
        url = reverse("library:library")
    try:
        response = client.get(url, {"q": "perheille"})
    finally:
        translation.activate("fi")  # the request left Swedish active in this thread
    assert url.startswith("/sv/")
    assert result_names(response) == ["Perhekumppani"]
