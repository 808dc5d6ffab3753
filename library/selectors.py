"""Reads of the public practice library: full-text search, filters, facet counts and award history.

Everything starts from awards' public_practices(at) and public_nominations_with_outcome(at), the one rule for what
the public may see, so that the library pages, their counts and the open data API can never show more than that.
"""

import json
import operator
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import timedelta
from functools import cache, partial, reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Length
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from awards.models import AwardCycle
from awards.selectors.publication import (
    NOMINEE,
    public_match,
    public_nominations_with_outcome,
    public_practices,
    public_rank_vector,
    public_search_vector,
)
from practices import public_version
from practices.localisation import by_name, language_code, localised_names
from practices.models import (
    SEARCH_CONFIGS,
    EvidenceLevel,
    Municipality,
    Organisation,
    Practice,
    PublicDataGeneration,
    Region,
    SearchTerm,
    TargetGroup,
    Theme,
    WellbeingServicesCounty,
)
from practices.search import analysis, highlight
from practices.search.query import PREFIX_CONFIG, parse, search_query

from . import facet_index
from .models import StoredFacetCounts

# Longer queries are refused with a message: no real search needs more, and every word costs parsing time.
MAX_QUERY_LENGTH = 200

# Outcomes of a public nomination: the decision's result, or plain "nominee" when it has none.
OUTCOME_LABELS = {
    "winner": _("winner"),
    "honourable_mention": _("honourable mention"),
    "finalist": _("finalist"),
    NOMINEE: _("nominated"),
}

# Private-use characters mark the highlighted words of a snippet (practices/search/highlight.py); they are turned
# into <mark> only after the rest of the text has been escaped, so no markup in a description reaches the page.
_START_SEL = highlight.START
_STOP_SEL = highlight.STOP
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
    evidence: str | None = None
    # Set by fallback_search(), never by the URL: any of the words of q is enough.
    any_word: bool = False

    def without(self, *names: str) -> "LibraryFilters":
        return replace(self, **dict.fromkeys(names))

    def link_keys(self) -> dict[str, str]:
        """The facet key ("theme:perhetyo", as practices/search/index.py facet_keys writes it) of each filter of
        a link that is set, by filter."""
        return {name: f"{name}:{getattr(self, name)}" for name in _LINK_FACETS if getattr(self, name)}

    @classmethod
    def from_data(cls, data: dict) -> "LibraryFilters":
        names = {f.name for f in fields(cls)}
        return cls(**{k: (v or None) if k != "q" else (v or "") for k, v in data.items() if k in names})


FACETS = (
    "theme",
    "target_group",
    "region",
    "county",
    "municipality",
    "organisation_kind",
    "evidence",
    "result",
    "year",
)


def clean_search_text(text: str) -> str:
    """PostgreSQL rejects NUL characters in text; our highlight markers must not come from outside either."""
    for char in ("\x00", _START_SEL, _STOP_SEL):
        text = text.replace(char, "")
    return text.strip()


def search_condition(text: str, *, any_word: bool = False) -> Q:
    """Rows whose index matches the analysed text (practices/search/query.py): one scan of the GIN index.

    A text with no word to search for (only stop words or punctuation) matches nothing. Only what the public may
    search counts (awards' public_match: the name alone where the nominator has not consented to publishing the
    description). Needs the `description_public` flag of public_practices."""
    query = search_query(text, any_of_the_words=any_word)
    if query is None:
        return Q(pk__isnull=True)
    return public_match(query)


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
    """One condition per set filter, none of which repeats rows.

    The filters of the links (theme, target group, region, county, municipality, organisation type) read the
    practice's facet keys, the same the facet counts read (practices/search/index.py facet_keys: a county's
    practices are those linked to it or to one of its municipalities, as on the county's page), through their
    GIN index: a filtered search reads only the rows that pass both the text and the filters. Year and result form
    one condition, "award": they apply to the same nomination ("winners of 2017", not "won once, nominated in
    2017")."""
    conditions = {name: Q(facet_keys__contains=[key]) for name, key in filters.link_keys().items()}
    if filters.evidence:
        conditions["evidence"] = Q(evidence_level=filters.evidence)
    if filters.year or filters.result:
        conditions["award"] = Q(pk__in=_nominations_matching(filters, at).values("practice_id"))
    return conditions


def filter_practices(queryset: QuerySet, filters: LibraryFilters, at=None) -> QuerySet:
    """Apply the text search and every filter."""
    if filters.q:
        queryset = queryset.filter(search_condition(filters.q, any_word=filters.any_word))
    for condition in _conditions(filters, at).values():
        queryset = queryset.filter(condition)
    return queryset


def search_practices(filters: LibraryFilters, at=None) -> QuerySet:
    """The library's result list: public practices matching the filters, best matches first when searching
    (each with `rank`; snippets come from add_snippets() for the page shown)."""
    queryset = filter_practices(public_practices(at), filters, at)
    query = search_query(filters.q, any_of_the_words=filters.any_word) if filters.q else None
    if query is None:
        return queryset.annotate(rank=Value(0.0)).order_by("name", "pk")
    # Ranked on the small rank_vector (name: weight 1.0; summary and the names of places, organisations and
    # themes: 0.4), a third of the whole index, so ranking stays cheap when thousands match; matches in the body
    # alone come after, by name. The ranking query leaves out compounds' parts: a text with "perhetyö" itself
    # comes before one with "perhe" and "työ".
    # Ranked on what the public may read too (public_rank_vector): a withheld description never lifts a practice.
    rank_query = search_query(filters.q, any_of_the_words=filters.any_word, parts=False)
    return queryset.annotate(rank=SearchRank(public_rank_vector(), rank_query)).order_by("-rank", "name", "pk")


# Which of a practice card's names can explain a match, and how each kind is labelled.
_NAME_KINDS = (
    ("organisations", _("organisation")),
    ("municipalities", _("municipality")),
    ("counties", _("wellbeing services county")),
    ("themes", _("theme")),
    ("target_groups", _("target group")),
)


def _matching_name(thing, mark: Callable[[str], tuple[str, int]]) -> str | None:
    """The thing's name (in the visitor's language first, then the others) with the matching words marked
    (`mark`: highlight.mark with the search's matcher)."""
    language = language_code()
    if isinstance(thing, Organisation):
        names = [thing.name]
    else:
        order = [language, *(lang for lang in ("fi", "sv", "en") if lang != language)]
        names = [getattr(thing, f"name_{lang}") for lang in order]
    for name in dict.fromkeys(n for n in names if n):
        marked, count = mark(name)
        if count:
            return marked
    return None


def add_snippets(practices, text: str) -> None:
    """Give each practice of a result page (read through practices_for_cards(matching=True)) `snippet`, its best
    fragments with the matching words marked, and `matched_names`, the names of its places, organisations and
    themes that matched, with their kind: together they show why it was found. Both are escaped and safe to
    render."""
    parsed = parse(text)
    matcher = highlight.Matcher(parsed)
    # Each name marked once per page: the cards of a page share their places, themes and organisations.
    mark = cache(partial(highlight.mark, matcher=matcher))
    for practice in practices:
        body = " \n".join(
            t for t in (practice.summary, practice.basic_idea, practice.achieved_changes) if t and t.strip()
        )
        practice.snippet = render_headline(highlight.snippet(body, matcher)) if matcher and body else ""
        practice.matched_names = []
        if not matcher:
            continue
        regions = {m.region_id: m.region for m in practice.card_municipalities}
        for relation, label in _NAME_KINDS:
            for thing in getattr(practice, f"card_{relation}"):
                marked = _matching_name(thing, mark)
                if marked:
                    practice.matched_names.append((label, render_headline(marked)))
        for region in regions.values():
            marked = _matching_name(region, mark)
            if marked:
                practice.matched_names.append((_("region"), render_headline(marked)))


def _public_match(term_ref, at=None) -> Exists:
    """Whether some public practice's index has the given word (an expression, e.g. OuterRef("word"))."""
    query = (
        SearchQuery(term_ref, config=SEARCH_CONFIGS["fi"])
        | SearchQuery(term_ref, config=SEARCH_CONFIGS["sv"])
        | SearchQuery(term_ref, config=SEARCH_CONFIGS["en"])
    )
    return Exists(with_public_vector(public_practices(at)).filter(public_vector=query))


def _closest_public_word(word: str, at=None) -> str | None:
    """The word of the vocabulary most like `word` (trigram similarity, diacritics ignored) that some public
    practice has, or None."""
    folded = analysis.fold(word)
    candidates = (
        SearchTerm.objects.filter(folded__trigram_similar=folded)
        .exclude(folded=folded)
        .annotate(similarity=TrigramSimilarity("folded", folded), public=_public_match(OuterRef("word"), at))
        .filter(public=True)
        .order_by("-similarity", "-is_base_form", Length("word"), "word")
        .values_list("word", flat=True)
    )
    return candidates.first()


MAX_CORRECTED_WORDS = 6


def spelling_suggestion(text: str, at=None) -> str | None:
    """For a search that found nothing: the text with each word that no public practice has replaced by the
    closest word that one has ("Did you mean …?"), or None when there is nothing better to offer."""
    parsed = parse(text)
    public = with_public_vector(public_practices(at))
    corrected = text
    changed = False
    words = [t.text for t in parsed.terms if not t.phrase and not t.negated][:MAX_CORRECTED_WORDS]
    for word in dict.fromkeys(words):
        query = search_query(f'"{word}"')
        if query is not None and public.filter(public_vector=query).exists():
            continue
        replacement = _closest_public_word(word, at)
        if replacement:
            corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", replacement, corrected, flags=re.IGNORECASE)
            changed = True
    return corrected if changed and corrected.lower() != text.lower() else None


CORRECTED = "corrected"
SOME_WORDS = "some_words"


def fallback_search(filters: LibraryFilters, at=None) -> tuple[LibraryFilters, str]:
    """For a search that found nothing, the nearest search that finds something, and how it was reached:
    the words no public practice has replaced by the closest that one has (CORRECTED), or any of the words
    instead of all of them (SOME_WORDS); (filters, "") when neither helps. Only a search with no result pays
    for this (a few queries)."""
    corrected = spelling_suggestion(filters.q, at) if filters.q else None
    candidates = []
    if corrected:
        candidates.append((replace(filters, q=corrected), CORRECTED))
    if len(parse(corrected or filters.q).words) > 1:
        candidates.append((replace(filters, q=corrected or filters.q, any_word=True), SOME_WORDS))
    for candidate, how in candidates:
        if search_practices(candidate, at).exists():
            return candidate, how
    return filters, ""


@dataclass(frozen=True)
class Suggestion:
    """One suggestion while typing: a search to run (`query`), or a practice to open (`practice`)."""

    label: str
    kind: str
    query: str = ""
    practice: Practice | None = None


MIN_SUGGESTION_PREFIX = 2


def search_suggestions(text: str, at=None, limit: int = 8) -> list[Suggestion]:
    """Completions of what is being typed: words that complete its last word (base forms and names that a
    public practice has), places whose name starts so, and public practices whose name matches. Three queries."""
    text = clean_search_text(text)[:MAX_QUERY_LENGTH]
    typed = re.findall(r"[^\W\d_]+", text)
    if not typed or len(typed[-1]) < MIN_SUGGESTION_PREFIX:
        return []
    last = typed[-1]
    head = text[: text.lower().rfind(last.lower())].rstrip()
    folded = analysis.fold(last)
    words = list(
        SearchTerm.objects.filter(folded__startswith=folded, is_base_form=True)
        .exclude(folded=folded)
        .annotate(public=_public_match(OuterRef("word"), at))
        .filter(public=True)
        .order_by(Length("word"), "word")
        .values_list("word", flat=True)[: limit * 2]
    )
    # Base forms only ("perhetyö", not "perhetyön"), where Voikko knows the word.
    words = [w for w in words if not analysis.is_finnish(w) or w in analysis.base_forms(w)][: limit // 2]
    public = public_practices(at)
    places = list(
        Municipality.objects.filter(last_year__isnull=True)
        .filter(Q(name_fi__unaccent__istartswith=last) | Q(name_sv__unaccent__istartswith=last))
        .filter(Exists(public.filter(municipalities=OuterRef("pk"))))
        .order_by("name_fi")[:2]
    )
    prefix = SearchQuery(f"'{last}':*", config=PREFIX_CONFIG, search_type="raw")  # letters only, see above
    names_query = search_query(text)
    practices = (
        list(
            with_public_vector(public)
            .annotate(rank=SearchRank(F("search_vector"), names_query, weights=[0.0, 0.0, 0.0, 1.0]))
            .filter(public_vector=prefix, rank__gt=0)
            .order_by("-rank", "name")[:3]
        )
        if names_query is not None
        else []
    )
    suggestions = [Suggestion(label=f"{head} {w}".strip(), kind="word", query=f"{head} {w}".strip()) for w in words]
    language = language_code()
    for place in places:
        name = (
            place.name_sv
            if language == "sv"
            or (analysis.fold(place.name_sv).startswith(folded) and not analysis.fold(place.name_fi).startswith(folded))
            else place.name_fi
        )
        suggestions.append(Suggestion(label=name, kind="municipality", query=name))
    suggestions.extend(Suggestion(label=p.name, kind="practice", practice=p) for p in practices)
    return suggestions[:limit]


def render_headline(raw: str) -> SafeString:
    """Escape a headline and turn the highlight markers into <mark> elements, always balanced."""
    escaped = str(escape(raw or ""))
    marked = _HIGHLIGHT.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(_START_SEL, "").replace(_STOP_SEL, ""))  # noqa: S308 (escaped above)


# The filters whose values come from the practice's links (practices/search/index.py facet_keys).
_LINK_FACETS = ("theme", "target_group", "region", "county", "municipality", "organisation_kind")
_FLAGS = ("theme", "target_group", "region", "county", "municipality", "organisation_kind", "evidence", "award")


# The key of facet_counts() under which the number of practices matching the whole search is.
TOTAL = "total"


def filter_options(at=None) -> dict[str, list[tuple]]:
    """Each filter's values with their names in the active language, in the order the search form lists them
    (without counts). Read once per public change, language and process while the facet index holds (the names
    of places and themes, the years of published results: all public data); six queries otherwise. The index is
    not built for them: the unfiltered front page, which reads its counts from the database, does not need it,
    and the first visitor after a public change is spared its building."""

    def read() -> dict[str, list[tuple]]:
        return {
            "theme": localised_names(Theme.objects.all(), "slug"),
            "target_group": localised_names(TargetGroup.objects.all(), "slug"),
            "region": localised_names(by_name(Region.objects.all()), "code"),
            "county": localised_names(by_name(WellbeingServicesCounty.objects.all()), "code"),
            "municipality": localised_names(by_name(Municipality.objects.all()), "code"),
            "organisation_kind": list(Organisation.Kind.choices),
            "evidence": list(EvidenceLevel.choices),
            "result": list(OUTCOME_LABELS.items()),
            "year": [
                (year, str(year))
                for year in AwardCycle.objects.results_public(at).order_by("-year").values_list("year", flat=True)
            ],
        }

    if at is None and (index := facet_index.current(STORED_COUNTS_MAX_AGE, build=False)) is not None:
        return index.memo(("filter_options", language_code()), read)
    return read()


def result_count(counts: dict[str, dict[str, int]]) -> int:
    """The number of practices search_practices() gives for the filters of these facet_counts()."""
    return counts[TOTAL].get("", 0)


@public_version.per_version("library:facets")  # once per public version and search, for every page and visitor
def facet_counts(filters: LibraryFilters, at=None) -> dict[str, dict[str, int]]:
    """How many public practices each filter value would give, the other filters staying as they are, and under
    TOTAL how many the search gives with all of them (result_count).

    One query whatever the data. The public practices matching the text are found once (a materialised CTE,
    so the full-text match runs once), each with a flag per filter telling whether it passes that filter.
    Each facet then counts, over the practices' facet keys (or evidence level, or public nominations), the rows
    that pass every other filter. Those of the unfiltered library, which every visitor's first page shows, are
    kept in the database between public changes (stored_unfiltered_counts); those of every other search of now
    come from the process's index of the public practices' filter values (library/facet_index.py), which counts
    the same from the ids of the practices matching the text."""
    if at is None and filters == LibraryFilters():
        return stored_unfiltered_counts()
    if at is None and (index := facet_index.current(STORED_COUNTS_MAX_AGE)) is not None:
        return indexed_counts(index, filters)
    return _counted(facet_sql(filters, at))[0]


def indexed_counts(
    index: facet_index.FacetIndex, filters: LibraryFilters, matching: list[int] | None = None
) -> dict[str, dict[str, int]]:
    """facet_counts() from the index, what facet_sql counts: among the public practices matching the text, each
    value of each filter counts the practices that have it and pass every other filter that is set, TOTAL those
    that pass all of them; values nobody has are left out, as SQL's groups are. One query (the ids of the
    practices matching the text) when there is a text, none otherwise or when the caller gives those ids
    (`matching`, read with them in the same snapshot: ranked_page)."""
    base = index.everything
    if matching is not None:
        base = index.matching(matching)
    elif filters.q:
        text = LibraryFilters(q=filters.q, any_word=filters.any_word)
        matches = _counting_somewhere(filter_practices(public_practices(), text), filters, _conditions(filters, None))
        base = index.matching(matches.order_by().values_list("pk", flat=True))
    # The bitsets of the filters that are set, as _conditions() has them in SQL.
    conditions = {name: index.keys.get(key, 0) for name, key in filters.link_keys().items()}
    if filters.evidence:
        conditions["evidence"] = index.evidence.get(filters.evidence, 0)
    if filters.year or filters.result:
        conditions["award"] = index.awarded(filters.year, filters.result)

    def passing(excluded: str | None = None) -> int:
        bits = base
        for name, condition in conditions.items():
            if name != excluded:
                bits &= condition
        return bits

    counts: dict[str, dict[str, int]] = {name: {} for name in (*FACETS, TOTAL)}
    counts[TOTAL][""] = passing().bit_count()
    passes = {name: passing(name) for name in _LINK_FACETS}
    for key, practices in index.keys.items():
        name, _sep, value = key.partition(":")
        if name in passes and (n := (passes[name] & practices).bit_count()):
            counts[name][value] = n
    passes_evidence = passing("evidence")
    for level, practices in index.evidence.items():
        if n := (passes_evidence & practices).bit_count():
            counts["evidence"][level] = n
    passes_award = passing("award")
    for outcome in {result for _year, result in index.awards}:
        if n := (passes_award & index.awarded(filters.year, outcome)).bit_count():
            counts["result"][outcome] = n
    for year in {year for year, _result in index.awards}:
        if n := (passes_award & index.awarded(year, filters.result)).bit_count():
            counts["year"][str(year)] = n
    return counts


@dataclass(frozen=True)
class RankedPage:
    """A page of a text search's results as ids, in the order of search_practices()."""

    ids: list[int]
    # Where asked for: the ids of every practice the page was ranked among (for the text alone, those matching it).
    matching: list[int] | None = None


def plain_text_search(filters: LibraryFilters) -> bool:
    """A search of a text with no filter set: its results are the public practices matching the text, the very
    practices its facet counts count among."""
    return bool(filters.q) and filters == LibraryFilters(q=filters.q, any_word=filters.any_word)


def ranked_page(filters: LibraryFilters, offset: int, limit: int, *, with_matching: bool = False) -> RankedPage:
    """The ids of search_practices(filters)[offset:offset + limit] for a text search, ranked in the database
    without carrying the practices' columns through the sort (the page's rows are read by id after: a sort of
    14,000 matches with every column took a quarter longer); with `with_matching`, for a plain_text_search, in
    the same statement and snapshot the ids of all its matches, for the facet index to count from: otherwise the
    counts read the matches a second time, a third of a broad search's database time."""
    if not filters.q:
        raise ValueError("ranked_page() ranks a text search; search_practices() orders the others by name.")
    if with_matching and not plain_text_search(filters):
        raise ValueError("The matches a page is ranked among are the facet counts' only without filters.")
    matches, params = search_practices(filters).order_by().values("pk", "rank", "name").query.sql_with_params()
    # The order of search_practices() for a text: best rank first, then by name, then by id.
    order = "rank DESC, name, pk"
    everything = "(SELECT array_agg(pk) FROM m)" if with_matching else "NULL::integer[]"
    sql = (
        f"WITH m AS {'MATERIALIZED' if with_matching else 'NOT MATERIALIZED'} ({matches}) "  # noqa: S608 (our own compiled SQL; values as parameters)
        f"SELECT (SELECT array_agg(pk ORDER BY {order}) FROM "
        f"(SELECT pk, rank, name FROM m ORDER BY {order} LIMIT %s OFFSET %s) t), {everything}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        page, everything_ids = cursor.fetchone()
    return RankedPage(ids=page or [], matching=(everything_ids or []) if with_matching else None)


def counts_and_page(filters: LibraryFilters, offset: int, limit: int) -> tuple[dict[str, dict[str, int]], list | None]:
    """facet_counts(filters) and, for a plain_text_search, the ids of the page of its results at `offset` (None
    otherwise: the caller reads the page from search_practices()). Where its counts are not cached, the search
    ranks its matches and reads the ids the facet index counts from in one pass (ranked_page with_matching).
    A search with filters keeps the page query of search_practices(): its matches are fewer, and its counts read
    other ids (_counting_somewhere); ranked as ids, then read by id, it took a query and a few ms more."""
    if not plain_text_search(filters):
        return facet_counts(filters), None
    ids = None

    def with_the_page() -> dict[str, dict[str, int]]:
        nonlocal ids
        if (index := facet_index.current(STORED_COUNTS_MAX_AGE)) is None:
            return facet_counts.__wrapped__(filters)
        ranked = ranked_page(filters, offset, limit, with_matching=True)
        ids = ranked.ids
        return indexed_counts(index, filters, matching=ranked.matching)

    counts = facet_counts.get_or(with_the_page, filters)
    if ids is None:
        ids = ranked_page(filters, offset, limit).ids
    return counts, ids


def _counted(sql_and_params: tuple[str, list]) -> tuple[dict[str, dict[str, int]], int | None]:
    """Run facet_sql()'s query: the counts, and the PublicDataGeneration it read if it was asked to."""
    sql, params = sql_and_params
    counts: dict[str, dict[str, int]] = {name: {} for name in (*FACETS, TOTAL)}
    generation = None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for name, value, n in cursor.fetchall():
            if name == _GENERATION:
                generation = n
            else:
                counts[name][value] = n
    return counts, generation


# How long stored counts are used at most without a change counted: bounds the harm of a change whose count was
# lost (a process that died between its commit and counting it), as the shared cache's timeout does.
STORED_COUNTS_MAX_AGE = timedelta(hours=1)


def stored_unfiltered_counts() -> dict[str, dict[str, int]]:
    """facet_counts() of the unfiltered library, from StoredFacetCounts while they hold: computed at the current
    PublicDataGeneration, before the next scheduled moment and within STORED_COUNTS_MAX_AGE; otherwise counted
    afresh and stored. One query when they hold; counting reads the generation in the same statement (the same
    snapshot), so counts are never stored under a number that already counts a change they do not show. A
    transaction that has itself changed public data counts afresh and stores nothing."""
    now = timezone.now()
    if not public_version.changed_in_this_transaction():
        generation = Coalesce(Subquery(PublicDataGeneration.objects.filter(pk=1).values("number")), Value(0))
        stored = (
            StoredFacetCounts.objects.filter(pk=1, generation=generation, computed_at__gt=now - STORED_COUNTS_MAX_AGE)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
            .values_list("counts", flat=True)
            .first()
        )
        if stored is not None:
            return stored
    counts, generation = _counted(facet_sql(LibraryFilters(), now, with_generation=True))
    if public_version.changed_in_this_transaction():
        return counts
    # Read after the counts: a publication scheduled meanwhile has counted a change, and these are not used.
    valid_until = public_version.next_moment(now)
    with connection.cursor() as cursor:
        table = StoredFacetCounts._meta.db_table
        # Never replaces counts of a later generation with these.
        cursor.execute(
            f"INSERT INTO {table} (id, generation, computed_at, valid_until, counts) "  # noqa: S608 (our table)
            "VALUES (1, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET generation = EXCLUDED.generation, "
            "computed_at = EXCLUDED.computed_at, valid_until = EXCLUDED.valid_until, counts = EXCLUDED.counts "
            f"WHERE {table}.generation <= EXCLUDED.generation",
            [generation, now, valid_until, json.dumps(counts)],
        )
    return counts


# The name of facet_sql(with_generation=True)'s row that holds the PublicDataGeneration number.
_GENERATION = "generation"


def _counting_somewhere(practices: QuerySet, filters: LibraryFilters, conditions: dict[str, Q]) -> QuerySet:
    """The practices that can count in some facet: a practice counts only if it passes every filter but at most
    one, so with two filters or more those that pass none count nowhere and need not be read. The filters of the
    links as one overlap of the facet keys, which their GIN index answers (perheille + theme + region: 3,400 rows
    of 14,600)."""
    if len(conditions) < 2:
        return practices
    keys = list(filters.link_keys().values())
    some = [conditions[name] for name in conditions if name not in _LINK_FACETS]
    return practices.filter(reduce(operator.or_, [Q(facet_keys__overlap=keys)] * bool(keys) + some))


def facet_sql(filters: LibraryFilters, at=None, *, with_generation: bool = False) -> tuple[str, list]:
    """The SQL and parameters of facet_counts(); with_generation adds a row with the PublicDataGeneration number
    (read in the same snapshot as the counts)."""
    conditions = _conditions(filters, at)
    flags = {
        f"f_{name}": ExpressionWrapper(conditions[name], output_field=BooleanField())
        if name in conditions
        else Value(True)
        for name in _FLAGS
    }
    base = filter_practices(public_practices(at), LibraryFilters(q=filters.q, any_word=filters.any_word), at)
    base = _counting_somewhere(base, filters, conditions)
    base_sql, base_params = (
        base.order_by().annotate(**flags).values("id", "evidence_level", "facet_keys", *flags).query.sql_with_params()
    )
    nominations = public_nominations_with_outcome(at).order_by().values("practice_id", "outcome", year=F("cycle__year"))
    nominations_sql, nominations_params = nominations.query.sql_with_params()

    def passing(*excluded: str) -> str:
        # Only the filters that are set: a flag the planner cannot see is constant would cost it its estimates.
        return " AND ".join(
            ["TRUE", *(f"b.f_{name}" for name in _FLAGS if name in conditions and name not in excluded)]
        )

    # Every filter of a link table in one pass over the practices' facet_keys ("theme:perhetyo", each once per
    # practice, so count(*) counts practices): each key counts where the practice passes every other filter.
    # (unnest in the select list: a third faster than a lateral join on 150,000 keys)
    cases = " ".join(f"WHEN '{name}' THEN {passing(name)}" for name in _LINK_FACETS if name in conditions)
    passes = f"CASE split_part(b.k, ':', 1) {cases} ELSE {passing()} END" if cases else passing()
    branches = [
        # How many match every filter: the result list's length, so that its paginator need not count again.
        ("SELECT 'total', '', count(*) FROM base b WHERE " + passing(), []),  # noqa: S608 (no values in the SQL)
        (
            "SELECT split_part(b.k, ':', 1), substr(b.k, strpos(b.k, ':') + 1), count(*) "  # noqa: S608 (no values in the SQL)
            f"FROM (SELECT *, unnest(facet_keys) AS k FROM base) b WHERE {passes} GROUP BY b.k",
            [],
        ),
        (
            "SELECT 'evidence', b.evidence_level::text, count(*) FROM base b "  # noqa: S608 (no values in the SQL)
            f"WHERE b.evidence_level <> '' AND {passing('evidence')} GROUP BY 2",
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
    # The matches are found once when finding them costs (a text search, the filters' subqueries); the public
    # practices alone are an index-only scan, cheaper read again by each branch than materialised.
    materialised = "MATERIALIZED" if filters.q or conditions else "NOT MATERIALIZED"
    sql = (
        f"WITH base AS {materialised} (SELECT * FROM ({base_sql}) s), "  # noqa: S608 (only our own compiled SQL)
        f"noms AS MATERIALIZED (SELECT * FROM ({nominations_sql}) s) "
        + " UNION ALL ".join(branch for branch, _params in branches)
    )
    if with_generation:
        sql += (
            f" UNION ALL SELECT '{_GENERATION}', '', coalesce(max(number), 0) "  # noqa: S608 (our table)
            f"FROM {PublicDataGeneration._meta.db_table}"
        )
    params = [*base_params, *nominations_params, *(p for _branch, branch_params in branches for p in branch_params)]
    return sql, params


# What the search and the facets read of a practice, never shown.
INDEX_FIELDS = ("search_document", "search_vector", "rank_vector", "facet_keys")


def award_history_prefetch(at=None) -> Prefetch:
    """Prefetch of a practice's public nominations (with `outcome` and the cycle) into `practice.awards`."""
    return Prefetch(
        "nominations",
        queryset=public_nominations_with_outcome(at).select_related("cycle").order_by("-cycle__year", "pk"),
        to_attr="awards",
    )


def _listing_links() -> dict[str, QuerySet | None]:
    """The links the open data API lists with each practice, the municipalities with their regions."""
    return {
        "organisations": None,
        "municipalities": Municipality.objects.select_related("region"),
        "counties": None,
        "themes": None,
        "target_groups": None,
    }


def practices_for_listing(queryset: QuerySet, at=None) -> QuerySet:
    """A practice's links and award history, in a fixed number of queries whatever the number of practices (the
    open data API's lists). Without the index's columns, which nobody reads there: read and decoded for every row
    of a page, they cost more than the rest of it."""
    return queryset.defer(*INDEX_FIELDS).prefetch_related(
        *(Prefetch(relation, queryset=links) for relation, links in _listing_links().items()),
        award_history_prefetch(at),
    )


# What a card shows of a practice's links; the other links (and the municipalities' regions) are read only for
# the results of a text search, whose names can explain a match (add_snippets).
_CARD_SHOWS = ("organisations", "municipalities", "themes")
_CARD_EXPLAINS = ("counties", "target_groups")


def practices_for_cards(queryset: QuerySet, at=None, *, history: bool = False) -> QuerySet:
    """The practices of the library's cards and the place pages, without the index's columns; with `history`
    (a place page's award history, award_history_of) their public nominations in `awards`. as_cards() adds what
    the cards show once they are read."""
    queryset = queryset.defer(*INDEX_FIELDS)
    return queryset.prefetch_related(award_history_prefetch(at)) if history else queryset


@dataclass(frozen=True)
class CardAward:
    """A public nomination as a practice card shows it: its year and outcome."""

    year: int
    outcome: str


def as_cards(practices: list[Practice], at=None, *, matching: bool = False) -> list[Practice]:
    """Give each practice what its card shows: the links (with_card_links) and `card_awards`, its public
    nominations newest first. Those come from the award history where it was read with the practices
    (practices_for_cards(history=True)), otherwise from the process's facet index while it holds (which has
    read the same public nominations, facet_index.FacetIndex.history), otherwise in one query. Returns the
    practices."""
    with_card_links(practices, matching=matching)
    if not practices:
        return practices
    if all(hasattr(practice, "awards") for practice in practices):
        for practice in practices:
            practice.card_awards = [CardAward(n.cycle.year, n.outcome) for n in practice.awards]
        return practices
    index = facet_index.current(STORED_COUNTS_MAX_AGE, build=False) if at is None else None
    if index is not None:
        history = index.history
    else:
        history = defaultdict(list)
        rows = (
            public_nominations_with_outcome(at)
            .filter(practice_id__in=[practice.pk for practice in practices])
            .order_by("-cycle__year", "pk")  # as award_history_prefetch
            .values_list("practice_id", "cycle__year", "outcome")
        )
        for practice_id, year, outcome in rows:
            history[practice_id].append((year, outcome))
    for practice in practices:
        practice.card_awards = [CardAward(year, outcome) for year, outcome in history.get(practice.pk, ())]
    return practices


# The columns a card reads of a linked place, theme or organisation: its key and its names.
_CARD_LINK_FIELDS = {"name", "name_fi", "name_sv", "name_en", "region_id"}


def _card_attnames(model) -> tuple[str, ...]:
    """The attribute names of `model` that a card reads, in the order of its concrete fields (Model.from_db's)."""
    wanted = {model._meta.pk.attname, *_CARD_LINK_FIELDS}
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in wanted)


@dataclass(frozen=True)
class _CardLinkColumn:
    """One relation's links of a practice `p` as a JSON array of rows (`sql`): per row the values of `attnames`
    of `model`, then, for municipalities with their regions, those of `region_attnames` of their region."""

    sql: str
    model: type
    attnames: tuple[str, ...]
    region_attnames: tuple[str, ...] = ()


@cache
def _card_link_column(relation: str, *, with_regions: bool) -> _CardLinkColumn:
    """The column of with_card_links() for a relation, in its model's order. Built once per process."""
    field = Practice._meta.get_field(relation)
    model = field.related_model
    attnames = _card_attnames(model)
    values = [f't."{model._meta.get_field(name).column}"' for name in attnames]
    join, region_attnames = "", ()
    if with_regions and relation == "municipalities":
        region = Region._meta
        region_attnames = _card_attnames(Region)
        join = f' JOIN "{region.db_table}" r ON r."{region.pk.column}" = t."{model._meta.get_field("region").column}"'
        values += [f'r."{region.get_field(name).column}"' for name in region_attnames]
    order = ", ".join(
        f't."{model._meta.get_field(name.lstrip("-")).column}"{" DESC" if name.startswith("-") else ""}'
        for name in [*model._meta.ordering, model._meta.pk.name]
    )
    through = field.remote_field.through._meta.db_table
    target = f'"{model._meta.db_table}" t ON t."{model._meta.pk.column}" = l."{field.m2m_reverse_name()}"'
    sql = (
        f"(SELECT json_agg(json_build_array({', '.join(values)}) ORDER BY {order}) "  # noqa: S608 (names from the models)
        f'FROM "{through}" l JOIN {target}{join} WHERE l."{field.m2m_column_name()}" = p.id)'
    )
    return _CardLinkColumn(sql, model, attnames, region_attnames)


def with_card_links(practices: list[Practice], *, matching: bool = False) -> list[Practice]:
    """Give each practice its links as plain lists (`card_organisations`, `card_municipalities`, …), read in one
    query for all of them, where a prefetch per relation built a queryset and a related manager for each (on a
    page of 20 cards, more time than the queries). With `matching` (a text search's results, for add_snippets)
    every link the card can explain a match with, the municipalities with their regions; without, only those
    the card shows. Each link is a model instance with its key and names only (the other fields deferred).
    Returns the practices."""
    if not practices:
        return practices
    relations = (*_CARD_SHOWS, *_CARD_EXPLAINS) if matching else _CARD_SHOWS
    columns = {relation: _card_link_column(relation, with_regions=matching) for relation in relations}
    sql = (
        f"SELECT p.id, {', '.join(column.sql for column in columns.values())} "  # noqa: S608 (our own SQL)
        "FROM unnest(%s::bigint[]) AS p(id)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [[practice.pk for practice in practices]])
        rows = {row[0]: row[1:] for row in cursor.fetchall()}
    alias = connection.alias
    for practice in practices:
        for (relation, column), links in zip(columns.items(), rows[practice.pk], strict=True):
            things = []
            for values in links or ():
                thing = column.model.from_db(alias, column.attnames, values[: len(column.attnames)])
                if column.region_attnames:
                    thing.region = Region.from_db(alias, column.region_attnames, values[len(column.attnames) :])
                things.append(thing)
            setattr(practice, f"card_{relation}", things)
    return practices


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
