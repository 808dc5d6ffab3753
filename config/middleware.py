"""Site-wide middleware: a bound on the request body, the Permissions-Policy header, and no shared caching of
pages served to a signed-in user."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

# Browser features the service never uses; a page cannot turn them on, even through a script that slipped in.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


def body_limit(request) -> int:
    """The largest body a request may declare: file uploads (the nomination form's attachments) get
    REQUEST_BODY_MAX_BYTES, every other body Django's DATA_UPLOAD_MAX_MEMORY_SIZE."""
    if request.content_type == "multipart/form-data":
        return settings.REQUEST_BODY_MAX_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestBodyLimitMiddleware:
    """Refuse a body larger than body_limit() from its Content-Length, before a byte of it is read: 413, with a
    page in the user's language (JSON under /api/). Put it before CsrfViewMiddleware, the first to read a body;
    process_view runs after every process_request, so the page knows the language and the user. The reverse
    proxy in front sets the same bound (client_max_body_size, see the README)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = body_limit(request)
        if declared <= limit:
            return None
        message = _(
            "What you sent is %(size)s; at most %(max)s can be sent at once. Nothing of it was saved. "
            "Send fewer or smaller files at a time (each attachment may be at most 10 MB)."
        ) % {"size": filesizeformat(declared), "max": filesizeformat(limit)}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "request_too_large"}, status=413)
        # No "Connection: close" here: WSGI forbids hop-by-hop headers; the server drops the unread rest itself.
        return render(request, "413.html", {"message": message}, status=413)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class PrivateWhenSignedInMiddleware:
    """A response to a signed-in user is for that user only: Cache-Control "private, no-store" unless the view has
    already said private or no-store itself (its own, stricter or equal, choice is kept). A view's "public" is not
    trusted for a signed-in user: the page may carry their name. Anonymous responses are left to the public pages'
    own caching. Place it after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            current = response.headers.get("Cache-Control", "").lower()
            if "private" not in current and "no-store" not in current:
                response.headers["Cache-Control"] = "private, no-store"
            patch_vary_headers(response, ["Cookie"])
        return response
