"""URLs of the open data API, mounted at /api/v1/ without a language prefix."""

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from . import errors, opendata, views

app_name = "api"

router = DefaultRouter()
router.register("practices", views.PracticeViewSet, basename="practice")
router.register("awards", views.AwardYearViewSet, basename="award")
router.register("regions", views.RegionViewSet, basename="region")
router.register("counties", views.CountyViewSet, basename="county")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("target-groups", views.TargetGroupViewSet, basename="target-group")

urlpatterns = [
    path("opendata/catalog.jsonld", opendata.catalog, name="opendata_catalog"),
    path("opendata/README.md", opendata.readme, name="opendata_readme"),
    re_path(
        r"^opendata/(?P<dataset>practices|results)\.(?P<fmt>csv|json)$", opendata.download, name="opendata_download"
    ),
    path("openapi.json", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    path("", include(router.urls)),
    # Last: anything else under /api/v1/ (a malformed key too) is a JSON 404, never the site's HTML page.
    re_path(r"^.*$", errors.not_found, name="not_found"),
]
