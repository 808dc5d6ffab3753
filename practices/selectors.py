"""Reads of the public practice library: full-text search, filters, facet counts and award history.

Everything starts from Practice.objects.public(at), the one rule for what the public may see, so that the library
pages, their counts and the open data API can never show more than the public may see.
"""

import re
from dataclasses import dataclass, fields, replace

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .models import SEARCH_CONFIGS, Practice

# Longer queries are refused with a message: no real search needs more, and every word costs parsing time.
MAX_QUERY_LENGTH = 200

# Outcomes of a public nomination: the decision's result, or plain "nominee" when it has none.
NOMINEE = "nominee"
OUTCOME_LABELS = {
    "winner": _("winner"),
    "honourable_mention": _("honourable mention"),
    "finalist": _("finalist"),
    NOMINEE: _("nominated"),
}

# Private-use characters mark the highlighted words in ts_headline's output; they are turned into <mark> only
# after the rest of the text has been escaped, so no markup in a description ever reaches the page unescaped.
_START_SEL = "\ue000"
_STOP_SEL = "\ue001"
_HIGHLIGHT = re.compile(f"{_START_SEL}(.*?){_STOP_SEL}", re.DOTALL)


@dataclass(frozen=True)
class LibraryFilters:
    """A library search: the text and one value per filter (None: not filtered)."""

    q: str = ""
    theme: str | None = None
    target_group: str | None = None
    region: str | None = None
    county: str | None = None
    municipality: str | None = None
    organisation_kind: str | None = None
    result: str | None = None
    year: int | None = None

    def without(self, *names: str) -> "LibraryFilters":
        return replace(self, **dict.fromkeys(names))

    @classmethod
    def from_data(cls, data: dict) -> "LibraryFilters":
        names = {f.name for f in fields(cls)}
        return cls(**{k: (v or None) if k != "q" else (v or "") for k, v in data.items() if k in names})


FACETS = ("theme", "target_group", "region", "county", "municipality", "organisation_kind", "result", "year")


def clean_search_text(text: str) -> str:
    """PostgreSQL rejects NUL characters in text; our highlight markers must not come from outside either."""
    for char in ("\x00", _START_SEL, _STOP_SEL):
        text = text.replace(char, "")
    return text.strip()


def _per_language(make):
    """One expression per description language: each row is matched with its own language's configuration."""
    return Case(
        When(language="sv", then=make("sv")),
        When(language="en", then=make("en")),
        default=make("fi"),
    )


def _search_queries(text: str) -> dict[str, SearchQuery]:
    return {lang: SearchQuery(text, config=config, search_type="websearch") for lang, config in SEARCH_CONFIGS.items()}


def search_condition(text: str) -> Q:
    """Rows whose stored vector matches the text parsed with the configuration of the row's language.

    An OR of three index-friendly conditions, so PostgreSQL combines three scans of the GIN index."""
    queries = _search_queries(text)
    return (
        Q(language="sv", search_vector=queries["sv"])
        | Q(language="en", search_vector=queries["en"])
        | (~Q(language__in=["sv", "en"]) & Q(search_vector=queries["fi"]))
    )


def public_nominations_with_outcome(at=None) -> QuerySet:
    """Public nominations, each annotated with `outcome`: its confirmed result, or "nominee"."""
    from awards.models import Decision, DecisionEntry  # noqa: PLC0415 (awards depends on practices)
    from awards.selectors import public_nominations  # noqa: PLC0415

    entry = DecisionEntry.objects.filter(nomination_id=OuterRef("pk"), decision__state=Decision.State.CONFIRMED)
    return public_nominations(at).annotate(
        outcome=Coalesce(Subquery(entry.order_by("order", "pk").values("result")[:1]), Value(NOMINEE))
    )


def _nominations_matching(filters: LibraryFilters, at) -> QuerySet:
    nominations = public_nominations_with_outcome(at)
    if filters.year:
        nominations = nominations.filter(cycle__year=filters.year)
    if filters.result:
        nominations = nominations.filter(outcome=filters.result)
    return nominations


def filter_practices(queryset: QuerySet, filters: LibraryFilters, at=None) -> QuerySet:
    """Apply every filter; each is a subquery on the practice's key, so rows never repeat."""
    links = Practice  # the automatic many-to-many link tables hang off the model
    if filters.q:
        queryset = queryset.filter(search_condition(filters.q))
    if filters.theme:
        queryset = queryset.filter(
            pk__in=links.themes.through.objects.filter(theme__slug=filters.theme).values("practice_id")
        )
    if filters.target_group:
        queryset = queryset.filter(
            pk__in=links.target_groups.through.objects.filter(targetgroup__slug=filters.target_group).values(
                "practice_id"
            )
        )
    if filters.region:
        queryset = queryset.filter(
            pk__in=links.municipalities.through.objects.filter(municipality__region_id=filters.region).values(
                "practice_id"
            )
        )
    if filters.county:
        queryset = queryset.filter(
            pk__in=links.counties.through.objects.filter(wellbeingservicescounty_id=filters.county).values(
                "practice_id"
            )
        )
    if filters.municipality:
        queryset = queryset.filter(
            pk__in=links.municipalities.through.objects.filter(municipality_id=filters.municipality).values(
                "practice_id"
            )
        )
    if filters.organisation_kind:
        queryset = queryset.filter(
            pk__in=links.organisations.through.objects.filter(organisation__kind=filters.organisation_kind).values(
                "practice_id"
            )
        )
    if filters.year or filters.result:
        # Year and result apply to the same nomination: "winners of 2017", not "won once, nominated in 2017".
        queryset = queryset.filter(pk__in=_nominations_matching(filters, at).values("practice_id"))
    return queryset


def search_practices(filters: LibraryFilters, at=None) -> QuerySet:
    """The library's result list: public practices matching the filters, best matches first when searching,
    each with `rank` and `headline` (raw, with markers: render it with render_headline)."""
    queryset = filter_practices(Practice.objects.public(at), filters, at)
    if not filters.q:
        return queryset.annotate(rank=Value(0.0), headline=Value("")).order_by("name", "pk")
    queries = _search_queries(filters.q)
    text = Concat("summary", Value(" \n"), "basic_idea", Value(" \n"), "achieved_changes", output_field=TextField())
    return queryset.annotate(
        rank=_per_language(lambda lang: SearchRank(F("search_vector"), queries[lang])),
        headline=_per_language(
            lambda lang: SearchHeadline(
                text,
                queries[lang],
                config=SEARCH_CONFIGS[lang],
                start_sel=_START_SEL,
                stop_sel=_STOP_SEL,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        ),
    ).order_by("-rank", "name", "pk")


def render_headline(raw: str) -> SafeString:
    """Escape a headline and turn the highlight markers into <mark> elements, always balanced."""
    escaped = str(escape(raw or ""))
    marked = _HIGHLIGHT.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(_START_SEL, "").replace(_STOP_SEL, ""))  # noqa: S308 (escaped above)


def facet_counts(filters: LibraryFilters, at=None) -> dict[str, dict]:
    """How many public practices each filter value would give, with the other filters as they are.

    One query per filter whatever the data: each groups a link table by the value."""

    def ids(*without):
        return filter_practices(Practice.objects.public(at), filters.without(*without), at).values("pk")

    def grouped(queryset, key, distinct=False):
        rows = queryset.values(key).annotate(n=Count("practice_id", distinct=distinct)).values_list(key, "n")
        return {str(value): n for value, n in rows if value is not None}

    links = Practice
    return {
        "theme": grouped(
            links.themes.through.objects.filter(practice_id__in=ids("theme")),
            "theme__slug",
        ),
        "target_group": grouped(
            links.target_groups.through.objects.filter(practice_id__in=ids("target_group")),
            "targetgroup__slug",
        ),
        "region": grouped(
            links.municipalities.through.objects.filter(practice_id__in=ids("region")),
            "municipality__region_id",
            distinct=True,
        ),
        "county": grouped(
            links.counties.through.objects.filter(practice_id__in=ids("county")),
            "wellbeingservicescounty_id",
        ),
        "municipality": grouped(
            links.municipalities.through.objects.filter(practice_id__in=ids("municipality")),
            "municipality_id",
        ),
        "organisation_kind": grouped(
            links.organisations.through.objects.filter(practice_id__in=ids("organisation_kind")),
            "organisation__kind",
            distinct=True,
        ),
        "result": grouped(
            _nominations_matching(filters.without("result"), at).filter(practice_id__in=ids("result", "year")),
            "outcome",
            distinct=True,
        ),
        "year": grouped(
            _nominations_matching(filters.without("year"), at).filter(practice_id__in=ids("result", "year")),
            "cycle__year",
            distinct=True,
        ),
    }


def award_history_prefetch(at=None) -> Prefetch:
    """Prefetch of a practice's public nominations (with `outcome` and the cycle) into `practice.awards`."""
    return Prefetch(
        "nominations",
        queryset=public_nominations_with_outcome(at).select_related("cycle").order_by("-cycle__year", "pk"),
        to_attr="awards",
    )


def practices_for_listing(queryset: QuerySet, at=None) -> QuerySet:
    """What a practice card shows, in a fixed number of queries whatever the number of practices."""
    return queryset.prefetch_related(
        "organisations",
        "municipalities",
        "themes",
        award_history_prefetch(at),
    )


def related_practices(practice: Practice, at=None, limit: int = 4) -> QuerySet:
    """Other public practices sharing a theme or a region, those sharing most themes first."""
    theme_ids = [theme.pk for theme in practice.themes.all()]
    region_ids = {m.region_id for m in practice.municipalities.all()}
    links = Practice
    same = Q(pk__in=links.themes.through.objects.filter(theme_id__in=theme_ids).values("practice_id")) | Q(
        pk__in=links.municipalities.through.objects.filter(municipality__region_id__in=region_ids).values("practice_id")
    )
    return (
        Practice.objects.public(at)
        .filter(same)
        .exclude(pk=practice.pk)
        .annotate(shared=Count("themes", filter=Q(themes__in=theme_ids)))
        .order_by("-shared", "name")[:limit]
    )


def award_history_of(practices) -> list:
    """The public nominations of the given (prefetched) practices, newest year first: a place's award history."""
    history = [nomination for practice in practices for nomination in practice.awards]
    return sorted(history, key=lambda n: (-n.cycle.year, n.name))


def practices_in_county(county, at=None) -> QuerySet:
    """Public practices of a county: linked to it directly or through one of its municipalities."""
    links = Practice
    return Practice.objects.public(at).filter(
        Q(pk__in=links.counties.through.objects.filter(wellbeingservicescounty=county).values("practice_id"))
        | Q(pk__in=links.municipalities.through.objects.filter(municipality__county=county).values("practice_id"))
    )


def county_practice_count(at=None) -> Subquery:
    """Per county (as an annotation), the number of practices practices_in_county() would list."""
    practices = practices_in_county(OuterRef(OuterRef("pk")), at)
    return Subquery(practices.order_by().values(n=Func(F("pk"), function="COUNT", output_field=IntegerField())))


def practices_in_region(region, at=None) -> QuerySet:
    links = Practice
    return Practice.objects.public(at).filter(
        pk__in=links.municipalities.through.objects.filter(municipality__region=region).values("practice_id")
    )
