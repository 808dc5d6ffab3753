"""Errors of the open data API: every error is JSON of one documented shape, whatever its status.

    {"detail": "A sentence for people", "code": "machine_readable_code", "errors": {"param": ["…"]}}

`errors` is present on 400 only, naming each invalid query parameter. Unknown addresses under /api/v1/ answer the
same shape (not_found), not the site's HTML page."""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, for people.")
    code = serializers.CharField(help_text="What went wrong, for programs: e.g. invalid, not_found, throttled.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="400 only: the messages for each invalid query parameter, by its name.",
    )


def _messages(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    return {"non_field_errors": [str(m) for m in (detail if isinstance(detail, list) else [detail])]}


def exception_handler(exc, context):
    """DRF's handler, with every body reshaped to ErrorSerializer's shape."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": _("Some query parameters are not valid; see errors."),
            "code": "invalid",
            "errors": _messages(exc.detail),
        }
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {"detail": str(exc.detail), "code": codes if isinstance(codes, str) else exc.default_code}
    else:  # Http404 and PermissionDenied of Django, which DRF has turned into its own
        code = "not_found" if isinstance(exc, Http404) else "permission_denied"
        response.data = {"detail": str(response.data.get("detail", "")), "code": code}
    return response


def not_found(request, *args, **kwargs):
    """Any address under /api/v1/ that names nothing (a malformed key included): JSON, never the HTML page."""
    return JsonResponse(
        {"detail": _("Nothing was found at this address of the open data API."), "code": "not_found"}, status=404
    )


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


ERROR_RESPONSES = {
    404: error_response("Not found: an unknown key, or a page past the last one."),
    429: error_response("Too many requests from this address; see the Retry-After header."),
}
LIST_ERROR_RESPONSES = {
    400: error_response("A query parameter is not valid; `errors` names it."),
    **ERROR_RESPONSES,
}
