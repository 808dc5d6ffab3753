"""Site-wide views: the home page, the root redirect and the health check."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.decorators import method_decorator
from django.utils.translation import get_language_from_request
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from django.views.static import serve

from accounts import retention
from accounts.public_pages import public_page
from awards.models import AwardCycle
from practices.search.analysis import analyser_status


@method_decorator(public_page, name="dispatch")
class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["open_cycle"] = (
            AwardCycle.objects.open_for_nominations().select_related("award").order_by("-year").first()
        )
        return context


@method_decorator(public_page, name="dispatch")
class AccessibilityStatementView(TemplateView):
    """Saavutettavuusseloste, as the Act on the Provision of Digital Services requires of public services."""

    template_name = "pages/accessibility.html"


@method_decorator(public_page, name="dispatch")
class PrivacyNoticeView(TemplateView):
    """Tietosuojaseloste: what personal data the service holds, why, and for how long (the periods in force,
    accounts/retention.py)."""

    template_name = "pages/privacy.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "retention_periods": retention.periods()}


@require_GET
def public_media(request, path):
    """A public upload from MEDIA_ROOT (read at request time); serve() refuses paths outside it."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def root_redirect(request):
    """/ goes to the visitor's language, Finnish by default."""
    return HttpResponseRedirect(f"/{get_language_from_request(request)}/")


@never_cache
@require_GET
def healthz(request):
    """For load balancers and docker: 200 when the database answers, 503 when it does not. It also says which
    Finnish analysis search runs on: "voikko", or "snowball" with a warning when Voikko is missing (the service
    still works, so that is no error)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable", "search": analyser_status()}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "search": analyser_status()})


def server_error(request):
    """handler500: the site's layout in the visitor's language, rendered without the request's context, so that it
    needs neither the database nor the session (the error may be that the database is down)."""
    return HttpResponseServerError(loader.get_template("500.html").render({"request": None}))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the site's layout in the visitor's language, telling what to do (the form had expired);
    never Django's English page that speaks of DEBUG."""
    return render(request, "403_csrf.html", {"cookies_ok": bool(request.COOKIES)}, status=403)
