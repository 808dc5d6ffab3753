"""URL configuration: language-prefixed pages (/fi/, /sv/, /en/) plus unprefixed machine endpoints."""

import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.i18n import set_language

from accounts import access
from accounts.public_pages import public_page
from awards.sitemaps import SITEMAPS as AWARD_SITEMAPS

from . import views
from .access import ACCESS

# The site's own pages join the apps' URLs in the access registry (each app registers its own in ready()).
access.register(ACCESS)

handler403 = "accounts.views.permission_denied"
handler500 = "config.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("api/v1/", include("library.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", views.root_redirect, name="root"),
    path("sitemap.xml", public_page(sitemap), {"sitemaps": {**AWARD_SITEMAPS}}, name="sitemap"),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("saavutettavuus/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("tietosuoja/", views.PrivacyNoticeView.as_view(), name="privacy"),
    path("accounts/", include("accounts.urls")),
    # The library before awards: URLs are tried in order, and the library's pages are the most read.
    path("", include("library.urls")),
    path("", include("awards.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

# Public uploads (the announcements' photos and logos, content-checked, under random names). Served by Django in
# every mode so a plain docker-compose deployment shows them; a reverse proxy may serve MEDIA_ROOT instead.
# Nomination attachments are never here: they live in PRIVATE_MEDIA_ROOT behind a permission-checked view.
urlpatterns += [
    re_path(
        r"^{}(?P<path>.*)$".format(re.escape(settings.MEDIA_URL.lstrip("/"))),
        views.public_media,
        name="media",
    ),
]
