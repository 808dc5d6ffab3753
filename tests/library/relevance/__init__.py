"""The relevance test set of the library search: realistic practices (not the demo) and queries, each with the
practices it must find in its first five results. Used by tests/library/test_relevance.py (each query asserted)
and scripts/relevance.py (recall@5 and MRR)."""

import json
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOP = 5


@dataclass(frozen=True)
class Query:
    q: str
    lang: str
    kind: str
    expect: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.lang}:{self.q}"


def queries() -> list[Query]:
    rows = json.loads((HERE / "queries.json").read_text(encoding="utf-8"))
    return [Query(r["q"], r["lang"], r["kind"], tuple(r["expect"])) for r in rows]


def load_practices() -> dict[str, int]:
    """Create the fixture's practices (public, with organisations, places, themes and target groups) through
    the ordinary saves, so that they are indexed as the admin would index them; returns slug -> pk."""
    from practices.models import Municipality, Organisation, Practice, TargetGroup, Theme  # noqa: PLC0415

    created = {}
    for row in json.loads((HERE / "practices.json").read_text(encoding="utf-8")):
        practice = Practice.objects.create(
            slug=row["slug"],
            name=row["name"],
            language=row["language"],
            summary=row["summary"],
            basic_idea=row["basic_idea"],
            achieved_changes=row.get("achieved_changes", ""),
            is_public=True,
        )
        municipalities = list(Municipality.objects.filter(code__in=row["municipalities"]))
        practice.municipalities.add(*municipalities)
        practice.counties.add(*{m.county_id for m in municipalities if m.county_id})
        for name, kind in row["organisations"]:
            organisation, _created = Organisation.objects.get_or_create(name=name, kind=kind)
            practice.organisations.add(organisation)
        practice.themes.add(*Theme.objects.filter(slug__in=row["themes"]))
        practice.target_groups.add(*TargetGroup.objects.filter(slug__in=row["groups"]))
        created[practice.slug] = practice.pk
    return created


def top_results(q: str) -> tuple[list[str], str]:
    """The slugs of the first results of the library's search for q, as the library page shows them (with the
    spelling correction it makes when nothing matches), and the corrected text if any."""
    from library.selectors import LibraryFilters, fallback_search, search_practices  # noqa: PLC0415

    filters = LibraryFilters(q=q)
    slugs = list(search_practices(filters).values_list("slug", flat=True)[:TOP])
    how = ""
    if not slugs:
        filters, how = fallback_search(filters)
        if how:
            slugs = list(search_practices(filters).values_list("slug", flat=True)[:TOP])
    return slugs, f"{how}: {filters.q}" if how else ""


@dataclass(frozen=True)
class Outcome:
    query: Query
    found: list[str]
    corrected: str

    @property
    def recall(self) -> float:
        return sum(1 for slug in self.query.expect if slug in self.found) / len(self.query.expect)

    @property
    def reciprocal_rank(self) -> float:
        ranks = [self.found.index(slug) + 1 for slug in self.query.expect if slug in self.found]
        return 1 / min(ranks) if ranks else 0.0


def evaluate() -> list[Outcome]:
    outcomes = []
    for query in queries():
        found, corrected = top_results(query.q)
        outcomes.append(Outcome(query, found, corrected))
    return outcomes
