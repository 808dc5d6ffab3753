"""Read-only viewsets of the open data API, each starting from the same public rules as the pages."""

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Case, Prefetch, When
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularJSONAPIView
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
    MAX_QUERY_LENGTH,
    OUTCOME_LABELS,
    LibraryFilters,
    practices_for_listing,
    search_practices,
)
from practices.models import Municipality, Region, TargetGroup, Theme, WellbeingServicesCounty

from . import serializers
from .errors import ERROR_RESPONSES, LIST_ERROR_RESPONSES
from .throttling import ClearThrottleMessageMixin, OpenDataRateThrottle

# Lookups accept only what a key can look like, so a NUL byte or other junk is a 404 at the URL resolver.
SLUG = r"[-a-zA-Z0-9_]+"


# The highest page number the API accepts (as its schema says): far past any last page, which is a 404.
MAX_PAGE = 1_000_000


def _positive_int(raw: str) -> int | None:
    """A plain decimal number ("7"), or None: no sign, no blanks, no "null"."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else None


class OpenDataPagination(PageNumberPagination):
    """Pages of 50 (page_size 1–200). A page or page size that is not a positive whole number is a 400 naming the
    parameter; a page past the last one is a 404. Both are documented in the schema."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()  # "last" is not a number: the schema says integer

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = _positive_int(raw)
        if size is None or not 1 <= size <= self.max_page_size:
            raise ValidationError({"page_size": [_("A whole number from 1 to %(max)d.") % {"max": self.max_page_size}]})
        return size

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not 1 <= (_positive_int(raw) or 0) <= MAX_PAGE:
            raise ValidationError({"page": [_("A whole number from 1 to %(max)d.") % {"max": MAX_PAGE}]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}
                parameter["description"] = "Page number, from 1; a page past the last one is a 404."
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size, "default": 50}
        return parameters


class OpenDataSchema(AutoSchema):
    """Every operation documents its errors (library/api/errors.py): 404 and 429 everywhere, 400 on lists."""

    def get_response_serializers(self):
        ok = super().get_response_serializers()
        errors = LIST_ERROR_RESPONSES if getattr(self.view, "action", None) == "list" else ERROR_RESPONSES
        if isinstance(ok, dict):
            return {**ok, **errors}
        return {200: ok, **errors}


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
    schema = OpenDataSchema()


def _path(name: str, pattern: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, str, OpenApiParameter.PATH, required=True, pattern=pattern, description=description)


SLUG_PARAMETER = _path("slug", f"^{SLUG}$", "The slug (see the list).")
YEAR_PARAMETER = OpenApiParameter(
    "year", {"type": "integer", "minimum": 1000, "maximum": 9999}, OpenApiParameter.PATH, required=True
)


def _code(digits: int) -> OpenApiParameter:
    return _path("code", f"^[0-9]{{{digits}}}$", "The Statistics Finland code (see the list).")


FILTER_DESCRIPTIONS = {
    "theme": "Theme slug (see /themes/).",
    "target_group": "Target group slug (see /target-groups/).",
    "region": "Region code (see /regions/).",
    "county": "Wellbeing services county code (see /counties/).",
    "municipality": "Municipality code (see /municipalities/).",
    "organisation_kind": "Type of an organisation running the practice.",
    "evidence": "Evidence level (Itla's Kasvun tuki scale), as rated by an evaluating body.",
    "result": "Award result ('nominee': named, no result); with year, the result of that year.",
}


class PracticeFilterSchema(OpenDataSchema):
    """The practice list's filters, each with the values it accepts, read when the schema is generated (reference
    data, and the years whose results are public): a value outside them is a 400 naming the parameter."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if getattr(self.view, "action", None) != "list":
            return parameters
        enum = {
            "organisation_kind": [c for c, _label in serializers.Organisation.Kind.choices],
            "evidence": [c for c, _label in serializers.EvidenceLevel.choices],
            "result": serializers.OUTCOMES,
        }
        try:
            years = sorted(set(AwardCycle.objects.results_public().values_list("year", flat=True)))
            enum |= {
                "theme": list(Theme.objects.order_by("slug").values_list("slug", flat=True)),
                "target_group": list(TargetGroup.objects.order_by("slug").values_list("slug", flat=True)),
                "region": list(Region.objects.order_by("code").values_list("code", flat=True)),
                "county": list(WellbeingServicesCounty.objects.order_by("code").values_list("code", flat=True)),
                "municipality": list(Municipality.objects.order_by("code").values_list("code", flat=True)),
            }
        except DatabaseError:
            # Generated without a database (drf-spectacular's system check, check --deploy): the values are the
            # data's, so they are left out; the served schema always has them.
            years = []
        return [
            *parameters,
            OpenApiParameter(
                "q",
                {"type": "string", "maxLength": MAX_QUERY_LENGTH},
                description=f"Full-text search (web search syntax), at most {MAX_QUERY_LENGTH} characters: Finnish "
                "words in all their forms and compound parts, names of organisations and places in every language, "
                "with or without ä/ö.",
            ),
            *(
                OpenApiParameter(name, {"type": "string", "enum": values}, description=FILTER_DESCRIPTIONS[name])
                if values
                else OpenApiParameter(name, str, description=FILTER_DESCRIPTIONS[name])
                for name, values in enum.items()
            ),
            OpenApiParameter(
                "year",
                {"type": "integer", "enum": years},
                description="A year whose results are public (see /awards/).",
            )
            if years
            else OpenApiParameter("year", int, description="No year has public results yet.", exclude=True),
        ]


@extend_schema_view(
    list=extend_schema(
        summary="Public practices",
        description="The practices of the public library, filtered and searched as on the library page; best "
        "matches first when searching, otherwise by name. A practice whose nominator has not consented to "
        "publishing its description has `description_public` false and empty text fields.",
    ),
    retrieve=extend_schema(summary="One public practice", parameters=[SLUG_PARAMETER]),
)
class PracticeViewSet(OpenDataMixin, viewsets.ReadOnlyModelViewSet):
    schema = PracticeFilterSchema()
    serializer_class = serializers.PracticeSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self):
        filters = LibraryFilters()
        if self.action == "list":
            # The library page's own form checks the parameters; a bad value is a 400 naming the parameter. An empty
            # filter means "all" on the page; here a parameter is given with a value or left out.
            params = self.request.query_params
            blank = [name for name in FACETS if name in params and not params[name].strip()]
            if blank:
                raise ValidationError({name: [_("Give a value, or leave the parameter out.")] for name in blank})
            form = LibraryFilterForm({name: self.request.query_params.get(name, "") for name in ("q", *FACETS)})
            if not form.is_valid():
                raise ValidationError({field: list(messages) for field, messages in form.errors.items()})
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
    retrieve=extend_schema(summary="One award year with its results", parameters=[YEAR_PARAMETER]),
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


@extend_schema_view(retrieve=extend_schema(parameters=[_code(2)]))
class RegionViewSet(OpenDataMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.all()
    serializer_class = serializers.RegionSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{2}"


@extend_schema_view(retrieve=extend_schema(parameters=[_code(2)]))
class CountyViewSet(OpenDataMixin, viewsets.ReadOnlyModelViewSet):
    queryset = WellbeingServicesCounty.objects.all()
    serializer_class = serializers.CountySerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{2}"


@extend_schema_view(retrieve=extend_schema(parameters=[_code(3)]))
class MunicipalityViewSet(OpenDataMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Municipality.objects.order_by("code")
    serializer_class = serializers.MunicipalitySerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{3}"


@extend_schema_view(retrieve=extend_schema(parameters=[SLUG_PARAMETER]))
class ThemeViewSet(OpenDataMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Theme.objects.all()
    serializer_class = serializers.ThemeSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG


@extend_schema_view(retrieve=extend_schema(parameters=[SLUG_PARAMETER]))
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
