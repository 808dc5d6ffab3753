"""Template context shared by every page."""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.functional import SimpleLazyObject

from accounts.models import OrganisationMembership, User
from awards.models import JuryMembership


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
    user = getattr(request, "user", None)
    context = {"SITE_URL": settings.SITE_URL, "FEEDBACK_EMAIL": settings.FEEDBACK_EMAIL}
    if user is not None:
        context["menu_roles"] = SimpleLazyObject(lambda: _menu_roles(user))
    return context
