"""Read-only viewsets of the open data API, each starting from the same public rules as the pages."""

from django.db.models import Case, Prefetch, When
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from accounts import public_pages
from awards.models import AwardCycle, Decision, DecisionEntry
from awards.selectors.followup import follow_ups_prefetch
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


class PublicCopyMixin:
    """Lists and details are answered from the public copy (accounts/public_pages.py), computed once per public
    version, address, language and negotiated format; the rate limit and the format negotiation still run first."""

    _public_copy = None

    def list(self, request, *args, **kwargs):
        return self._from_public_copy(request, super().list, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._from_public_copy(request, super().retrieve, *args, **kwargs)

    def _from_public_copy(self, request, handler, *args, **kwargs):
        django_request = request._request
        if not public_pages.shareable(django_request):
            return handler(request, *args, **kwargs)
        version, key, page = public_pages.lookup(django_request, request.accepted_media_type)
        if page is not None:
            return public_pages.respond(django_request, page, version)
        self._public_copy = (version, key)
        return handler(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._public_copy is not None:
            version, key = self._public_copy
            page = public_pages.store(request._request, response, version, key)
            if page is not None:
                return public_pages.respond(request._request, page, version)
        return response


class OpenDataMixin(ClearThrottleMessageMixin, PublicCopyMixin):
    authentication_classes = []
    throttle_classes = [OpenDataRateThrottle]
    pagination_class = OpenDataPagination


_FILTER_PARAMETERS = [
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        description="Full-text search (web search syntax), at most 200 characters: Finnish words in all their "
        "forms and compound parts, names of organisations and places in every language, with or without ä/ö.",
    ),
    OpenApiParameter("theme", OpenApiTypes.STR, description="Theme slug (see /themes/)."),
    OpenApiParameter("target_group", OpenApiTypes.STR, description="Target group slug (see /target-groups/)."),
    OpenApiParameter("region", OpenApiTypes.STR, description="Region code (see /regions/)."),
    OpenApiParameter("county", OpenApiTypes.STR, description="Wellbeing services county code (see /counties/)."),
    OpenApiParameter("municipality", OpenApiTypes.STR, description="Municipality code (see /municipalities/)."),
    OpenApiParameter(
        "organisation_kind", OpenApiTypes.STR, enum=[c for c, _label in serializers.Organisation.Kind.choices]
    ),
    OpenApiParameter(
        "evidence",
        OpenApiTypes.STR,
        enum=[c for c, _label in serializers.EvidenceLevel.choices],
        description="Evidence level (Itla's Kasvun tuki scale), as rated by an evaluating body.",
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
        queryset = practices_for_listing(search_practices(filters)).prefetch_related("counties", "target_groups")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(follow_ups_prefetch())
        return queryset

    def get_serializer_class(self):
        # One practice carries its follow-ups too; the list stays as light as it was.
        return serializers.PracticeDetailSerializer if self.action == "retrieve" else serializers.PracticeSerializer


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


class DocsView(ClearThrottleMessageMixin, SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar (self-hosted). The split view serves its start-up script as a
    separate file (?script), and our template has no inline style, so the site's CSP needs no exception."""

    authentication_classes = []
    throttle_classes = [OpenDataRateThrottle]
    template_name = "library/api/swagger_ui.html"
    url_name = "api:schema"
