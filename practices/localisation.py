"""Fields kept per language (name_fi, name_sv, name_en…): pick the active language's value, else the Finnish one."""

from django.utils.translation import get_language


def shown_language(obj, field: str) -> str:
    """The language `localised(obj, field)` answers in: the active one if that field is filled in, else Finnish."""
    lang = (get_language() or "fi")[:2]
    return lang if getattr(obj, f"{field}_{lang}", "") else "fi"


def localised(obj, field: str) -> str:
    """The value of `<field>_<lang>` in the active language, falling back to Finnish."""
    return getattr(obj, f"{field}_{shown_language(obj, field)}", "")
