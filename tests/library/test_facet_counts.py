"""The library's facet counts, read from the practices' facet keys, equal a plain count over their links, for random
practices and filter combinations; the keys follow every change of the links."""

import random
from dataclasses import replace

import pytest

from awards.selectors.publication import public_practices
from library.selectors import FACETS, LibraryFilters, facet_counts, search_practices
from practices.models import (
    EvidenceLevel,
    Municipality,
    Organisation,
    Practice,
    TargetGroup,
    Theme,
    WellbeingServicesCounty,
)
from tests.factories import OrganisationFactory, PracticeFactory
from tests.factories.library import nominate, published_cycle

pytestmark = pytest.mark.django_db


def _values(practice: Practice) -> dict[str, set[str]]:
    """Each filter's values of a practice, from its links (the definition the keys must agree with)."""
    municipalities = list(practice.municipalities.all())
    return {
        "theme": {t.slug for t in practice.themes.all()},
        "target_group": {g.slug for g in practice.target_groups.all()},
        "region": {m.region_id for m in municipalities},
        "county": {m.county_id for m in municipalities if m.county_id} | {c.pk for c in practice.counties.all()},
        "municipality": {m.code for m in municipalities},
        "organisation_kind": {o.kind for o in practice.organisations.all()},
        "evidence": {practice.evidence_level} - {""},
    }


def expected_counts(filters: LibraryFilters) -> dict[str, dict[str, int]]:
    """For each filter, how many public practices each value gives with the other (link) filters kept."""
    practices = [(p, _values(p)) for p in public_practices()]
    chosen = {name: getattr(filters, name) for name in FACETS if getattr(filters, name)}
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for name, per_value in counts.items():
        if name in ("result", "year"):
            continue
        for _practice, values in practices:
            if all(str(value) in values[other] for other, value in chosen.items() if other != name):
                for value in values[name]:
                    per_value[str(value)] = per_value.get(str(value), 0) + 1
    return counts


def _random_library(rng: random.Random) -> None:
    themes = list(Theme.objects.all())
    groups = list(TargetGroup.objects.all())
    municipalities = list(Municipality.objects.filter(code__in=["091", "092", "049", "853", "564", "837", "179"]))
    counties = list(WellbeingServicesCounty.objects.all()[:4])
    organisations = [OrganisationFactory(kind=kind) for kind in Organisation.Kind.values[:3]]
    cycle = published_cycle(2020)
    for i in range(14):
        rated = rng.random() < 0.3
        practice = PracticeFactory(
            name=f"Käytäntö {i}",
            is_public=rng.random() < 0.7,
            evidence_level=EvidenceLevel.SOME_EVIDENCE if rated else "",
            evidence_rated_by="Itla" if rated else "",
            evidence_rated_on="2024-01-01" if rated else None,
        )
        practice.themes.set(rng.sample(themes, rng.randint(0, 3)))
        practice.target_groups.set(rng.sample(groups, rng.randint(0, 2)))
        practice.municipalities.set(rng.sample(municipalities, rng.randint(0, 3)))
        practice.counties.set(rng.sample(counties, rng.randint(0, 1)))
        practice.organisations.set(rng.sample(organisations, rng.randint(0, 2)))
        if not practice.is_public and rng.random() < 0.5:
            nominate(practice, cycle)


@pytest.mark.parametrize("seed", range(3))
def test_facet_counts_equal_a_count_over_the_links(seed):
    rng = random.Random(seed)  # noqa: S311 (test data)
    _random_library(rng)
    practice = rng.choice(list(public_practices().prefetch_related("municipalities", "themes", "counties")))
    municipality = practice.municipalities.first()
    combinations = [
        LibraryFilters(),
        LibraryFilters(theme=rng.choice(list(Theme.objects.values_list("slug", flat=True)))),
        LibraryFilters(region=municipality.region_id if municipality else "01", organisation_kind="municipality"),
        LibraryFilters(
            county=rng.choice(list(WellbeingServicesCounty.objects.values_list("code", flat=True)[:4])),
            theme=(practice.themes.first() or Theme.objects.first()).slug,
            evidence=EvidenceLevel.SOME_EVIDENCE,
        ),
        LibraryFilters(
            municipality=municipality.code if municipality else "091",
            target_group=TargetGroup.objects.order_by("slug").first().slug,
        ),
    ]
    for filters in combinations:
        counts = facet_counts.__wrapped__(filters)  # not the copy cached for the public version
        expected = expected_counts(filters)
        for name in FACETS:
            if name not in ("result", "year"):
                assert counts[name] == expected[name], (filters, name)


def test_facet_keys_follow_the_links():
    helsinki = Municipality.objects.get(code="091")
    practice = PracticeFactory()
    practice.municipalities.add(helsinki)
    practice.themes.add(Theme.objects.get(slug="perhetyo"))
    practice.refresh_from_db()
    assert {
        f"municipality:{helsinki.code}",
        f"region:{helsinki.region_id}",
        f"county:{helsinki.county_id}",
        "theme:perhetyo",
    } <= set(practice.facet_keys)
    practice.municipalities.remove(helsinki)
    practice.refresh_from_db()
    assert not [key for key in practice.facet_keys if key.split(":")[0] in ("municipality", "region", "county")]


@pytest.mark.parametrize("seed", range(2))
def test_result_count_from_the_facets_equals_counting_the_results(client, seed):
    """The page's paginator takes its count from the facet query: it must be the number search_practices gives."""
    rng = random.Random(seed)  # noqa: S311 (test data)
    _random_library(rng)
    theme = Theme.objects.filter(practices__isnull=False).order_by("slug").first()
    for params in ({}, {"q": "käytäntö"}, {"theme": theme.slug}, {"q": "käytäntö", "theme": theme.slug}, {"q": "xyz"}):
        response = client.get("/en/kaytannot/", {**params, "page": "999"})
        filters = response.context["filters"]
        expected = search_practices(filters).count()
        assert response.context["page_obj"].paginator.count == expected, params
        if expected:  # page 999 is the last page
            assert len(response.context["practices"]) == (expected - 1) % 20 + 1, params


@pytest.mark.parametrize("seed", range(2))
def test_facet_counts_with_several_filters_equal_counting_each_choice(seed):
    """With two filters or more the facet query reads only the practices that pass all of them but one: every
    count, those of the award results and years included, still equals counting the results of that choice."""
    rng = random.Random(seed)  # noqa: S311 (test data)
    _random_library(rng)
    later = published_cycle(2021)
    for practice in rng.sample(list(Practice.objects.all()), 6):
        nominate(practice, later, result=rng.choice(["winner", "finalist", None]))
    theme = Theme.objects.filter(practices__isnull=False).order_by("slug").first()
    municipality = Municipality.objects.filter(practices__isnull=False).order_by("code").first()
    combinations = [
        LibraryFilters(theme=theme.slug, region=municipality.region_id),
        LibraryFilters(q="käytäntö", theme=theme.slug, year=2020),
        LibraryFilters(evidence=EvidenceLevel.SOME_EVIDENCE, organisation_kind="municipality"),
        LibraryFilters(municipality=municipality.code, result="winner", target_group=TargetGroup.objects.first().slug),
    ]
    for filters in combinations:
        counts = facet_counts.__wrapped__(filters)
        for name in FACETS:
            for value, n in counts[name].items():
                choice = replace(filters, **{name: int(value) if name == "year" else value})
                assert n == search_practices(choice).count(), (filters, name, value)
