"""Downloads of the open data (CSV, JSON and their README) and its DCAT-AP catalogue, under /api/v1/opendata/.

Stable addresses for harvesters such as avoindata.fi's: /api/v1/opendata/catalog.jsonld describes the datasets
and links to their files. Like the API, these are public, read-only and rate-limited per address.
"""

import json

from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from library import opendata

from .throttling import OpenDataRateThrottle

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _throttled(request) -> HttpResponse | None:
    """The API's per-address limit, applied to these plain views too."""
    throttle = OpenDataRateThrottle()
    if throttle.allow_request(request, None):
        return None
    response = HttpResponse(status=429)
    wait = throttle.wait()
    if wait:
        response["Retry-After"] = str(max(1, round(wait)))
    return response


def _public(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def download(request, dataset: str, fmt: str):
    if dataset not in opendata.DATASETS or fmt not in CONTENT_TYPES:
        raise Http404
    if limited := _throttled(request):
        return limited
    base = _base_url(request)
    chunks = (
        opendata.csv_lines(dataset, base_url=base) if fmt == "csv" else opendata.json_chunks(dataset, base_url=base)
    )
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="lastensuojeluteko-{dataset}.{fmt}"'
    response["Link"] = f'<{opendata.LICENSE_URL}>; rel="license"'
    return _public(response)


@require_GET
def readme(request):
    if limited := _throttled(request):
        return limited
    response = HttpResponse(opendata.readme(base_url=_base_url(request)), content_type="text/markdown; charset=utf-8")
    return _public(response)


@require_GET
def catalog(request):
    if limited := _throttled(request):
        return limited
    document = opendata.catalog(base_url=_base_url(request), contact_email=settings.FEEDBACK_EMAIL)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/ld+json; charset=utf-8"
    )
    modified = opendata.last_modified()
    if modified:
        response["Last-Modified"] = http_date(modified.timestamp())
    return _public(response)
