"""Template context shared by every page."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def _language_links(request):
    """The same page in each language, as plain links (the language is in the address), so that a public page
    needs no form, no CSRF cookie and no session to switch: a proxy may keep it. A search keeps its query."""
    current = get_language()
    query = request.META.get("QUERY_STRING", "")
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(request.path, code)
        links.append(
            {
                "code": code,
                "name_local": get_language_info(code)["name_local"],
                "url": f"{url}?{query}" if query else url,
                "current": code == current,
            }
        )
    return links


def site(request):
    # A callable: the links are worked out only when a template shows them.
    return {
        "SITE_URL": settings.SITE_URL,
        "FEEDBACK_EMAIL": settings.FEEDBACK_EMAIL,
        "language_links": lambda: _language_links(request),
    }
