"""Template context shared by every page."""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_info

from accounts.models import OrganisationMembership, User
from awards.models import JuryMembership


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


def _menu_roles(user) -> dict:
    """Which role menus a signed-in user sees: one query, made only when a page shows the menu."""
    if not user.is_authenticated:
        return {"jury": False, "nominator": False}
    flags = (
        User.objects.filter(pk=user.pk)
        .annotate(
            jury=Exists(JuryMembership.objects.filter(user=OuterRef("pk"))),
            nominator=Exists(OrganisationMembership.objects.filter(user=OuterRef("pk"), can_nominate=True)),
        )
        .values("jury", "nominator")
        .first()
    ) or {"jury": False, "nominator": False}
    # Staff manage the jury; a signed-in person with no role yet finds how to get nominating rights there.
    flags["jury"] = flags["jury"] or user.is_staff
    flags["nominations"] = flags["nominator"] or not (flags["jury"] or user.is_staff)
    return flags


def site(request):
    # Callables and lazy objects: the links and the menu's roles are worked out only when a template shows them.
    user = getattr(request, "user", None)
    context = {
        "SITE_URL": settings.SITE_URL,
        "FEEDBACK_EMAIL": settings.FEEDBACK_EMAIL,
        "language_links": lambda: _language_links(request),
    }
    if user is not None:
        context["menu_roles"] = SimpleLazyObject(lambda: _menu_roles(user))
    return context
