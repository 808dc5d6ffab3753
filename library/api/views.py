"""Read-only viewsets of the open data API, each starting from the same public rules as the pages."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Prefetch, When
from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from awards.models import AwardCycle, Decision, DecisionEntry
from awards.selectors.publication import public_nominations_with_outcome
from library.forms import LibraryFilterForm
from library.selectors import (
    FACETS,
    OUTCOME_LABELS,
    LibraryFilters,
    practices_for_listing,
    search_practices,
)
from practices.models import Municipality, Region, TargetGroup, Theme, WellbeingServicesCounty

from . import serializers
from .throttling import ClearThrottleMessageMixin, OpenDataRateThrottle

# Lookups accept only what a key can look like, so a NUL byte or other junk is a 404 at the URL resolver.
SLUG = r"[-a-zA-Z0-9_]+"


class OpenDataPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class OpenDataMixin(ClearThrottleMessageMixin):
    authentication_classes = []
    throttle_classes = [OpenDataRateThrottle]
    pagination_class = OpenDataPagination


_FILTER_PARAMETERS = [
    OpenApiParameter(
        "q", OpenApiTypes.STR, description="Full-text search (web search syntax), at most 200 characters."
    ),
    OpenApiParameter("theme", OpenApiTypes.STR, description="Theme slug (see /themes/)."),
    OpenApiParameter("target_group", OpenApiTypes.STR, description="Target group slug (see /target-groups/)."),
    OpenApiParameter("region", OpenApiTypes.STR, description="Region code (see /regions/)."),
    OpenApiParameter("county", OpenApiTypes.STR, description="Wellbeing services county code (see /counties/)."),
    OpenApiParameter("municipality", OpenApiTypes.STR, description="Municipality code (see /municipalities/)."),
    OpenApiParameter(
        "organisation_kind", OpenApiTypes.STR, enum=[c for c, _label in serializers.Organisation.Kind.choices]
    ),
    OpenApiParameter("result", OpenApiTypes.STR, enum=serializers.OUTCOMES, description="Award result."),
    OpenApiParameter("year", OpenApiTypes.INT, description="Award year."),
]


@extend_schema_view(
    list=extend_schema(
        summary="Public practices",
        description="The practices of the public library, filtered and searched as on the library page; "
        "best matches first when searching, otherwise by name.",
        parameters=_FILTER_PARAMETERS,
    ),
    retrieve=extend_schema(summary="One public practice"),
)
class PracticeViewSet(OpenDataMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PracticeSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self):
        filters = LibraryFilters()
        if self.action == "list":
            # The library page's own form checks the parameters; a bad value is a 400 naming the parameter.
            form = LibraryFilterForm({name: self.request.query_params.get(name, "") for name in ("q", *FACETS)})
            if not form.is_valid():
                raise ValidationError(form.errors.get_json_data())
            filters = form.filters()
        return practices_for_listing(search_practices(filters)).prefetch_related("counties", "target_groups")


@extend_schema_view(
    list=extend_schema(summary="Award years with public results"),
    retrieve=extend_schema(summary="One award year with its results"),
)
class AwardYearViewSet(OpenDataMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.AwardYearSerializer
    lookup_field = "year"
    lookup_value_regex = r"[0-9]{4}"

    def get_queryset(self):
        entries = DecisionEntry.objects.filter(decision__state=Decision.State.CONFIRMED)
        nominations = (
            public_nominations_with_outcome()
            .select_related("practice", "organisation")
            .prefetch_related(Prefetch("decision_entries", queryset=entries, to_attr="confirmed_entries"))
            .order_by(
                Case(*[When(outcome=outcome, then=rank) for rank, outcome in enumerate(OUTCOME_LABELS)]),
                "name",
                "pk",
            )
        )
        return (
            AwardCycle.objects.results_public()
            .prefetch_related(Prefetch("nominations", queryset=nominations, to_attr="public_results"))
            .order_by("-year")
        )


class RegionViewSet(OpenDataMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.all()
    serializer_class = serializers.RegionSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{2}"


class CountyViewSet(OpenDataMixin, viewsets.ReadOnlyModelViewSet):
    queryset = WellbeingServicesCounty.objects.all()
    serializer_class = serializers.CountySerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{2}"


class MunicipalityViewSet(OpenDataMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Municipality.objects.order_by("code")
    serializer_class = serializers.MunicipalitySerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{3}"


class ThemeViewSet(OpenDataMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Theme.objects.all()
    serializer_class = serializers.ThemeSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG


class TargetGroupViewSet(OpenDataMixin, viewsets.ReadOnlyModelViewSet):
    queryset = TargetGroup.objects.all()
    serializer_class = serializers.TargetGroupSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG


class SchemaView(ClearThrottleMessageMixin, SpectacularJSONAPIView):
    authentication_classes = []
    throttle_classes = [OpenDataRateThrottle]


class DocsView(TemplateView):
    """The API's one page for people: every endpoint, its parameters and answers, read from the same OpenAPI
    schema as /openapi.json, in the site's accessible layout. The API itself answers machines in JSON only."""

    template_name = "library/api/docs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        schema = cache.get_or_set(DOCS_SCHEMA_CACHE_KEY, _public_schema, 60 * 60)
        context["endpoints"] = [
            {
                "path": path,
                "method": method.upper(),
                "id": operation.get("operationId", f"{method}-{path}"),
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [
                    {
                        "name": parameter["name"],
                        "where": parameter.get("in", ""),
                        "required": parameter.get("required", False),
                        "type": parameter.get("schema", {}).get("type", ""),
                        "enum": parameter.get("schema", {}).get("enum", []),
                        "description": parameter.get("description", ""),
                    }
                    for parameter in operation.get("parameters", [])
                ],
                "responses": sorted(operation.get("responses", {})),
            }
            for path, item in schema.get("paths", {}).items()
            for method, operation in item.items()
            if method in {"get", "head"}
        ]
        context["info"] = schema.get("info", {})
        context["rate"] = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]
        return context


DOCS_SCHEMA_CACHE_KEY = "api:docs:schema:v1"


def _public_schema() -> dict:
    return SchemaGenerator(patterns=None).get_schema(request=None, public=True)
