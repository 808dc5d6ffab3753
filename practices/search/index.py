"""The search document of a practice: what its index holds beside the texts, written on every save.

PostgreSQL's generated column practice.search_vector reads the texts themselves and this document
(practice.search_document):
  a, b, c, d   the Voikko base forms and compound parts of the words of the Finnish texts, by weight
               (a: name, b: summary, c: basic idea, target groups, achieved changes, d: the rest);
  names_fi/sv/en  its organisations, municipalities, wellbeing services counties, regions, themes and target
               groups by name in each language, the Finnish names analysed too ("Vantaan kaupunki" -> Vantaa);
  v, analyser  the version of this analysis and whether Voikko made it, so stale documents can be found.
Beside it, practice.facet_keys: the library's filter values of the practice, for its facet counts.
Every word (and base form) also joins SearchTerm, the vocabulary behind "Did you mean …?".
"""

import re
from collections.abc import Iterable

from django.db import connection, transaction

from practices.models import Practice, SearchTerm

from . import analysis

# Raise when the analysis changes: `manage.py update_search_index` then rewrites every document.
VERSION = 5  # 5: facet_keys written beside the document

WEIGHT_FIELDS = {
    "a": ["name"],
    "b": ["summary"],
    "c": ["basic_idea", "target_group_description", "achieved_changes"],
    "d": ["operating_environment", "intended_changes", "evaluation", "resources", "adoption_conditions", "funder"],
}
LANGUAGES = ("fi", "sv", "en")
_NOT_LETTER = re.compile(r"[\W\d_]+")


def _weighted(name: str) -> str:
    """A one-word name counts twice, so that a place named exactly as the search ("Österbotten") outranks
    places whose names only contain the word ("Norra Österbotten")."""
    return f"{name} {name}" if not _NOT_LETTER.search(name.strip()) else name


def practice_names(practice: Practice) -> dict[str, list[str]]:
    """The names of everything the practice is linked to, per language, each language only where its name
    differs (Vantaa is Vantaa in English too). Five queries, or none when prefetched."""
    names: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}

    def add(*variants: str) -> None:
        seen = set()
        for lang, name in zip(LANGUAGES, variants, strict=True):
            if name and name not in seen:
                names[lang].append(_weighted(name))
                seen.add(name)

    for organisation in practice.organisations.all():
        # One name, often in Finnish, sometimes in Swedish: matched by the Finnish and the Swedish stemmer.
        names["fi"].append(_weighted(organisation.name))
        names["sv"].append(_weighted(organisation.name))
    places = set()
    for municipality in practice.municipalities.all():
        add(municipality.name_fi, municipality.name_sv, municipality.name_en)
        places.add(municipality.region)
        if municipality.county:
            places.add(municipality.county)
    places.update(practice.counties.all())
    for thing in (
        *sorted(places, key=lambda p: (type(p).__name__, p.pk)),
        *practice.themes.all(),
        *practice.target_groups.all(),
    ):
        add(thing.name_fi, thing.name_sv, thing.name_en)
    return names


def facet_keys(practice: Practice) -> list[str]:
    """The library's filter values of the practice, "<filter>:<value>", each once and sorted: its themes and
    target groups (slugs), its municipalities, their regions, its counties (linked directly or through a
    municipality) and the kinds of its organisations. No query when prefetched (linked_for_index)."""
    keys = {f"theme:{t.slug}" for t in practice.themes.all()}
    keys.update(f"target_group:{g.slug}" for g in practice.target_groups.all())
    for municipality in practice.municipalities.all():
        keys.add(f"municipality:{municipality.code}")
        keys.add(f"region:{municipality.region_id}")
        if municipality.county_id:
            keys.add(f"county:{municipality.county_id}")
    keys.update(f"county:{c.pk}" for c in practice.counties.all())
    keys.update(f"organisation_kind:{o.kind}" for o in practice.organisations.all())
    return sorted(keys)


def search_document(practice: Practice, names: dict[str, list[str]] | None = None) -> dict:
    """The document for practice.search_document: analysed texts and names."""
    names = practice_names(practice) if names is None else names
    finnish = practice.language not in ("sv", "en")
    document = {"v": VERSION, "analyser": analysis.analyser_name()}
    for key, fields in WEIGHT_FIELDS.items():
        # Swedish and English descriptions are matched by their own stemmers: Voikko analyses only Finnish.
        document[key] = (
            " \n".join(analysis.analysed_text(getattr(practice, f) or "") for f in fields).strip() if finnish else ""
        )
    for lang in LANGUAGES:
        text = " \n".join(names[lang])
        if lang == "fi":
            text = f"{text} \n{analysis.analysed_names(text)}"
        document[f"names_{lang}"] = text.strip()
    return document


def _terms(practice: Practice, document: dict) -> dict[str, bool]:
    """The words of the practice's texts and names, each marked True when it is a base form or a name."""
    terms: dict[str, bool] = {}
    for fields in WEIGHT_FIELDS.values():
        for f in fields:
            for word in analysis.words(getattr(practice, f) or ""):
                # A word in its base form ("perhetyö" in "Perhetyö kotona") is one too.
                terms[word.lower()] = terms.get(word.lower(), False) or word.lower() in analysis.base_forms(word)
    for key in ("a", "b", "c", "d"):
        for word in analysis.words(document[key]):
            terms[word.lower()] = True
    for lang in LANGUAGES:
        for word in analysis.words(document[f"names_{lang}"]):
            terms[word.lower()] = True
    return {word: base for word, base in terms.items() if 1 < len(word) <= 60}


def remember_terms(terms: dict[str, bool]) -> None:
    """Add words to the vocabulary in one statement; a word once seen as a base form stays marked so. Sorted, so
    that two saves adding the same words lock them in the same order."""
    if not terms:
        return
    rows = sorted(terms.items())
    table = SearchTerm._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (word, folded, is_base_form) "  # noqa: S608 (table name from the model)
            "SELECT * FROM unnest(%s::varchar[], %s::varchar[], %s::boolean[]) "
            "ON CONFLICT (word) DO UPDATE SET is_base_form = TRUE "
            f"WHERE EXCLUDED.is_base_form AND NOT {table}.is_base_form",
            [[w for w, _b in rows], [analysis.fold(w)[:60] for w, _b in rows], [b for _w, b in rows]],
        )


def practice_index(practice: Practice) -> dict:
    """Write the practice's search document (PostgreSQL recomputes its search vector), its facet keys and its
    words. Its links are read afresh, in a fixed number of queries (the instance's may be stale or not loaded)."""
    linked = linked_for_index(Practice.objects.filter(pk=practice.pk)).first() or practice
    document = search_document(linked)
    keys = facet_keys(linked)
    with transaction.atomic():
        Practice.objects.filter(pk=practice.pk).update(search_document=document, facet_keys=keys)
        remember_terms(_terms(linked, document))
    practice.search_document = document
    practice.facet_keys = keys
    return document


def practices_index(practices: Iterable[Practice]) -> int:
    """practice_index for many practices (prefetch their links first); returns how many were written."""
    changed = []
    terms: dict[str, bool] = {}
    for practice in practices:
        practice.search_document = search_document(practice)
        practice.facet_keys = facet_keys(practice)
        changed.append(practice)
        for word, base in _terms(practice, practice.search_document).items():
            terms[word] = terms.get(word, False) or base
    with transaction.atomic():
        Practice.objects.bulk_update(changed, ["search_document", "facet_keys"], batch_size=500)
        remember_terms(terms)
    return len(changed)


def facet_keys_refresh(batch_size: int = 1000) -> int:
    """Rewrite every practice's facet keys (no text analysis): after bulk changes of the places, themes or target
    groups themselves (the reference data), which send no signals. Returns how many practices were read."""
    ids = list(Practice.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        batch = list(linked_for_index(Practice.objects.filter(pk__in=ids[start : start + batch_size]).only("pk")))
        for practice in batch:
            practice.facet_keys = facet_keys(practice)
        Practice.objects.bulk_update(batch, ["facet_keys"], batch_size=500)
    return len(ids)


def linked_for_index(queryset):
    """The practices of queryset with what search_document reads, in a fixed number of queries."""
    return queryset.prefetch_related(
        "organisations", "municipalities__region", "municipalities__county", "counties", "themes", "target_groups"
    )


def stale_practices():
    """Practices whose document was written by an older analysis, or without Voikko when it is now available."""
    current = Practice.objects.filter(search_document__v=VERSION)
    if analysis.analyser_name() == analysis.VOIKKO:
        current = current.filter(search_document__analyser=analysis.VOIKKO)
    return Practice.objects.exclude(pk__in=current.values("pk"))
