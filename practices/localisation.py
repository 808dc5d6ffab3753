"""Fields kept per language (name_fi, name_sv, name_en…): pick the active language's value, else the Finnish one."""

from django.db import connection
from django.db.models import CharField, Func, QuerySet, Value
from django.db.models.functions import Collate, Lower
from django.utils.translation import get_language

# ICU collations made by practices/migrations/0003_name_collations.py, one per language of the service.
COLLATIONS = {"fi": "lst_fi", "sv": "lst_sv", "en": "lst_en"}

# Without ICU (a PostgreSQL built without it), names are compared by this key under the "C" collation: lower case,
# in Finnish and Swedish å, ä, ö after z in that order, in English with their base letter, as other accents.
_FOLD_FROM = "åäöæøüÿéèêëáàâãíìîïóòôõúùûýçñ"
_FOLD_TO = {"fi": "{|}|}yyeeeeaaaaiiiioooouuuycn", "sv": "{|}|}yyeeeeaaaaiiiioooouuuycn"}
_FOLD_TO["en"] = "aaoaouyeeeeaaaaiiiioooouuuycn"


def language_code(language: str | None = None) -> str:
    """The two-letter code of `language`, else of the active language, else Finnish."""
    return (language or get_language() or "fi")[:2]


class _Collations:
    """Whether the database has the project's ICU collations: asked once per process (a fact of the server)."""

    available: bool | None = None

    @classmethod
    def icu(cls) -> bool:
        if cls.available is None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_collation WHERE collname = %s", [COLLATIONS["fi"]])
                cls.available = cursor.fetchone()[0] == 1
        return cls.available


def shown_language(obj, field: str) -> str:
    """The language `localised(obj, field)` answers in: the active one if that field is filled in, else Finnish."""
    lang = language_code()
    return lang if getattr(obj, f"{field}_{lang}", "") else "fi"


def localised(obj, field: str) -> str:
    """The value of `<field>_<lang>` in the active language, falling back to Finnish."""
    return getattr(obj, f"{field}_{shown_language(obj, field)}", "")


def localised_names(queryset: QuerySet, key: str) -> list[tuple]:
    """(key, localised name) of each row, as localised(obj, "name") gives it, without building a model per row:
    for long lists of choices (the 320 municipalities' instances cost as much as the rest of the library's form)."""
    lang = language_code()
    field = f"name_{lang}" if lang in COLLATIONS else "name_fi"
    return [(value, name or finnish) for value, name, finnish in queryset.values_list(key, field, "name_fi")]


def collated(field: str, language: str | None = None):
    """`field` compared in the alphabet of `language` (the active one by default): for order_by()."""
    lang = language_code(language)
    if _Collations.icu():
        return Collate(field, COLLATIONS.get(lang, COLLATIONS["fi"]))
    fold_to = _FOLD_TO.get(lang, _FOLD_TO["fi"])
    key = Func(Lower(field), Value(_FOLD_FROM), Value(fold_to), function="translate", output_field=CharField())
    return Collate(key, "C")


def by_name(queryset: QuerySet, language: str | None = None) -> QuerySet:
    """Places (name_fi, name_sv, name_en) ordered by their name in the language they are shown in, in that
    language's alphabet; the Finnish name breaks ties and orders rows without a name in the language."""
    lang = language_code(language)
    lang = lang if lang in COLLATIONS else "fi"
    return queryset.order_by(collated(f"name_{lang}", lang), collated("name_fi", "fi"), "pk")


def name_sort_key(name: str, language: str | None = None) -> str:
    """For the few lists sorted in Python: the same key as the database's fallback above."""
    lang = language_code(language)
    return (name or "").lower().translate(str.maketrans(_FOLD_FROM, _FOLD_TO.get(lang, _FOLD_TO["fi"])))
