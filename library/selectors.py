"""Reads of the public practice library: full-text search, filters, facet counts and award history.

Everything starts from awards' public_practices(at) and public_nominations_with_outcome(at), the one rule for what
the public may see, so that the library pages, their counts and the open data API can never show more than that.
"""

import re
from dataclasses import dataclass, fields, replace

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
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
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from awards.selectors.publication import (
    NOMINEE,
    public_nominations_with_outcome,
    public_practices,
    public_search_vector,
    public_text,
)
from practices.models import SEARCH_CONFIGS, Municipality, Organisation, Practice, TargetGroup, Theme

# Longer queries are refused with a message: no real search needs more, and every word costs parsing time.
MAX_QUERY_LENGTH = 200

# Outcomes of a public nomination: the decision's result, or plain "nominee" when it has none.
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
    """Rows whose public vector (awards' public_search_vector: the name alone where the description is withheld)
    matches the text parsed with the configuration of the row's language. Needs the `public_vector` annotation
    (with_public_vector).

    The first condition (the stored vector matching the text parsed in any of the languages) is one scan of the GIN
    index, a superset of the matches; the second keeps the rows where the parse of the row's own language matches
    what the public may search. Written as the second alone, an OR of three language branches, PostgreSQL
    estimates a sequential scan as cheaper and reads every vector."""
    queries = _search_queries(text)
    any_language = queries["fi"] | queries["sv"] | queries["en"]
    own_language = (
        Q(language="sv", public_vector=queries["sv"])
        | Q(language="en", public_vector=queries["en"])
        | (~Q(language__in=["sv", "en"]) & Q(public_vector=queries["fi"]))
    )
    return Q(search_vector=any_language) & own_language


def with_public_vector(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(public_vector=public_search_vector())


def _nominations_matching(filters: LibraryFilters, at) -> QuerySet:
    nominations = public_nominations_with_outcome(at)
    if filters.year:
        nominations = nominations.filter(cycle__year=filters.year)
    if filters.result:
        nominations = nominations.filter(outcome=filters.result)
    return nominations


def _conditions(filters: LibraryFilters, at) -> dict[str, Q]:
    """One condition per set filter, each a subquery on the practice's key (so rows never repeat).

    Year and result form one condition, "award": they apply to the same nomination ("winners of 2017", not
    "won once, nominated in 2017")."""
    links = Practice  # the automatic many-to-many link tables hang off the model
    conditions = {}
    if filters.theme:
        conditions["theme"] = Q(
            pk__in=links.themes.through.objects.filter(theme__slug=filters.theme).values("practice_id")
        )
    if filters.target_group:
        conditions["target_group"] = Q(
            pk__in=links.target_groups.through.objects.filter(targetgroup__slug=filters.target_group).values(
                "practice_id"
            )
        )
    if filters.region:
        conditions["region"] = Q(
            pk__in=links.municipalities.through.objects.filter(municipality__region_id=filters.region).values(
                "practice_id"
            )
        )
    if filters.county:
        # As on the county's page: linked to the county itself or to one of its municipalities.
        conditions["county"] = Q(
            pk__in=links.counties.through.objects.filter(wellbeingservicescounty_id=filters.county).values(
                "practice_id"
            )
        ) | Q(
            pk__in=links.municipalities.through.objects.filter(municipality__county_id=filters.county).values(
                "practice_id"
            )
        )
    if filters.municipality:
        conditions["municipality"] = Q(
            pk__in=links.municipalities.through.objects.filter(municipality_id=filters.municipality).values(
                "practice_id"
            )
        )
    if filters.organisation_kind:
        conditions["organisation_kind"] = Q(
            pk__in=links.organisations.through.objects.filter(organisation__kind=filters.organisation_kind).values(
                "practice_id"
            )
        )
    if filters.year or filters.result:
        conditions["award"] = Q(pk__in=_nominations_matching(filters, at).values("practice_id"))
    return conditions


def filter_practices(queryset: QuerySet, filters: LibraryFilters, at=None) -> QuerySet:
    """Apply the text search and every filter."""
    if filters.q:
        queryset = with_public_vector(queryset).filter(search_condition(filters.q))
    for condition in _conditions(filters, at).values():
        queryset = queryset.filter(condition)
    return queryset


def search_practices(filters: LibraryFilters, at=None) -> QuerySet:
    """The library's result list: public practices matching the filters, best matches first when searching,
    each with `rank` and `headline` (raw, with markers: render it with render_headline)."""
    queryset = filter_practices(public_practices(at), filters, at)
    if not filters.q:
        return queryset.annotate(rank=Value(0.0), headline=Value("")).order_by("name", "pk")
    queries = _search_queries(filters.q)
    # Snippets and ranks come from what the public may read: nothing of a withheld description.
    text = Concat(
        public_text("summary"),
        Value(" \n"),
        public_text("basic_idea"),
        Value(" \n"),
        public_text("achieved_changes"),
        output_field=TextField(),
    )
    return queryset.annotate(
        rank=_per_language(lambda lang: SearchRank(F("public_vector"), queries[lang])),
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


_FLAGS = ("theme", "target_group", "region", "county", "municipality", "organisation_kind", "award")


def facet_counts(filters: LibraryFilters, at=None) -> dict[str, dict[str, int]]:
    """How many public practices each filter value would give, the other filters staying as they are.

    One query whatever the data. The public practices matching the text are found once (a materialised CTE,
    so the full-text match runs once), each with a flag per filter telling whether it passes that filter.
    Each facet then counts, over the link table of its dimension, the rows that pass every other filter."""
    sql, params = facet_sql(filters, at)
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for name, value, n in cursor.fetchall():
            counts[name][value] = n
    return counts


def facet_sql(filters: LibraryFilters, at=None) -> tuple[str, list]:
    """The SQL and parameters of facet_counts()."""
    conditions = _conditions(filters, at)
    flags = {
        f"f_{name}": ExpressionWrapper(conditions[name], output_field=BooleanField())
        if name in conditions
        else Value(True)
        for name in _FLAGS
    }
    base = filter_practices(public_practices(at), LibraryFilters(q=filters.q), at)
    base_sql, base_params = base.order_by().annotate(**flags).values("id", *flags).query.sql_with_params()
    nominations = public_nominations_with_outcome(at).order_by().values("practice_id", "outcome", year=F("cycle__year"))
    nominations_sql, nominations_params = nominations.query.sql_with_params()

    def passing(*excluded: str) -> str:
        # Only the filters that are set: a flag the planner cannot see is constant would cost it its estimates.
        return " AND ".join(
            ["TRUE", *(f"b.f_{name}" for name in _FLAGS if name in conditions and name not in excluded)]
        )

    links = Practice
    table = {
        name: getattr(links, name).through._meta.db_table
        for name in ("themes", "target_groups", "municipalities", "counties", "organisations")
    }
    branches = [
        (
            f"SELECT 'theme', t.slug::text, count(*) FROM base b JOIN {table['themes']} l ON l.practice_id = b.id "  # noqa: S608 (table names from models, values as parameters)
            f"JOIN {Theme._meta.db_table} t ON t.id = l.theme_id WHERE {passing('theme')} GROUP BY 2",
            [],
        ),
        (
            f"SELECT 'target_group', g.slug::text, count(*) FROM base b JOIN {table['target_groups']} l "  # noqa: S608 (table names from models, values as parameters)
            f"ON l.practice_id = b.id JOIN {TargetGroup._meta.db_table} g ON g.id = l.targetgroup_id "
            f"WHERE {passing('target_group')} GROUP BY 2",
            [],
        ),
        (
            f"SELECT 'region', m.region_id::text, count(DISTINCT b.id) FROM base b JOIN {table['municipalities']} l "  # noqa: S608 (table names from models, values as parameters)
            f"ON l.practice_id = b.id JOIN {Municipality._meta.db_table} m ON m.code = l.municipality_id "
            f"WHERE {passing('region')} GROUP BY 2",
            [],
        ),
        (
            # Directly linked or through a municipality, as in the county filter; the union comes after the
            # join with the matches so that each side can use the link table's index.
            f"SELECT 'county', c.county::text, count(DISTINCT c.id) FROM ("  # noqa: S608 (see above)
            f"SELECT b.id, l.wellbeingservicescounty_id AS county FROM base b JOIN {table['counties']} l "
            f"ON l.practice_id = b.id WHERE {passing('county')} UNION ALL "
            f"SELECT b.id, m.county_id FROM base b JOIN {table['municipalities']} l ON l.practice_id = b.id "
            f"JOIN {Municipality._meta.db_table} m ON m.code = l.municipality_id "
            f"WHERE m.county_id IS NOT NULL AND {passing('county')}) c GROUP BY 2",
            [],
        ),
        (
            f"SELECT 'municipality', l.municipality_id::text, count(*) FROM base b "  # noqa: S608 (table names from models, values as parameters)
            f"JOIN {table['municipalities']} l ON l.practice_id = b.id WHERE {passing('municipality')} GROUP BY 2",
            [],
        ),
        (
            f"SELECT 'organisation_kind', o.kind::text, count(DISTINCT b.id) FROM base b "  # noqa: S608 (table names from models, values as parameters)
            f"JOIN {table['organisations']} l ON l.practice_id = b.id "
            f"JOIN {Organisation._meta.db_table} o ON o.id = l.organisation_id "
            f"WHERE {passing('organisation_kind')} GROUP BY 2",
            [],
        ),
        (
            "SELECT 'result', n.outcome::text, count(DISTINCT b.id) FROM base b JOIN noms n ON n.practice_id = b.id "  # noqa: S608 (table names from models, values as parameters)
            f"WHERE {passing('award')}{' AND n.year = %s' if filters.year else ''} GROUP BY 2",
            [filters.year] if filters.year else [],
        ),
        (
            "SELECT 'year', n.year::text, count(DISTINCT b.id) FROM base b JOIN noms n ON n.practice_id = b.id "  # noqa: S608 (table names from models, values as parameters)
            f"WHERE {passing('award')}{' AND n.outcome = %s' if filters.result else ''} GROUP BY 2",
            [filters.result] if filters.result else [],
        ),
    ]
    sql = (
        f"WITH base AS MATERIALIZED (SELECT * FROM ({base_sql}) s), "  # noqa: S608 (only our own compiled SQL)
        f"noms AS MATERIALIZED (SELECT * FROM ({nominations_sql}) s) "
        + " UNION ALL ".join(branch for branch, _params in branches)
    )
    params = [*base_params, *nominations_params, *(p for _branch, branch_params in branches for p in branch_params)]
    return sql, params


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
        public_practices(at)
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
    return public_practices(at).filter(
        Q(pk__in=links.counties.through.objects.filter(wellbeingservicescounty=county).values("practice_id"))
        | Q(pk__in=links.municipalities.through.objects.filter(municipality__county=county).values("practice_id"))
    )


def county_practice_count(at=None) -> Subquery:
    """Per county (as an annotation), the number of practices practices_in_county() would list."""
    practices = practices_in_county(OuterRef(OuterRef("pk")), at)
    return Subquery(practices.order_by().values(n=Func(F("pk"), function="COUNT", output_field=IntegerField())))


def practices_in_region(region, at=None) -> QuerySet:
    links = Practice
    return public_practices(at).filter(
        pk__in=links.municipalities.through.objects.filter(municipality__region=region).values("practice_id")
    )
