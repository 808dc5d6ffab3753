"""Anonymous public pages: one rendered copy shared by every visitor who is not signed in, and headers that let a
reverse proxy or a CDN keep it too.

A request is *shareable* when it carries no session cookie, no flash-message cookie and no Authorization header:
nobody is signed in and nothing personal can be on the page. Only such requests read or fill the cache, and only a
response rendered for one (200, no cookie set, no CSRF token used, no message queued) is stored, so a signed-in,
staff or preview variant can never reach the public, nor the public copy a signed-in user. Every other request
gets the page rendered for it, marked private.

Cached copies are keyed on the public version (practices/public_version.py), the full address and the language,
so any public change shows on the next request. Each carries a weak ETag of its content, a Last-Modified, and
`Cache-Control: public` with a short max-age for browsers, a longer s-maxage and stale-while-revalidate for
proxies (never past the next scheduled change), and a gzip variant compressed once when it is stored.

Use @public_page on a view (or public_page(view) in a URLconf); the open-data API uses lookup/store/respond from
its viewsets, after its rate limit.
"""

import gzip
import hashlib
import re
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from practices import public_version

# The cookie of django.contrib.messages' CookieStorage (a class attribute there, no setting).
MESSAGES_COOKIE = "messages"
# Headers the cache sets itself on every answer, or that belong to one response only: never stored.
_OWN_HEADERS = {"cache-control", "etag", "last-modified", "expires", "date", "set-cookie", "content-length"}
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Smaller bodies gain nothing from compression.
_GZIP_MIN_BYTES = 512


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def shareable(request) -> bool:
    """Nobody is signed in and nothing personal can be on the page: the request may get the public copy."""
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and MESSAGES_COOKIE not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


@dataclass(frozen=True)
class CachedPage:
    content_type: str
    headers: tuple[tuple[str, str], ...]  # the view's own, Vary and the validators: set as they are
    content: bytes
    gzipped: bytes | None
    etag: str
    last_modified: int


def page_key(request, version: public_version.PublicVersion, *extra: str) -> str:
    # The absolute address: pages carry absolute links (canonical, sitemap, API), so the host is part of the key.
    raw = "\n".join([request.scheme, request.get_host(), request.get_full_path(), get_language() or "", *extra])
    return f"public:page:{version.number}:{hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()}"


def lookup(request, *extra: str) -> tuple[public_version.PublicVersion, str, CachedPage | None]:
    version = public_version.current()
    key = page_key(request, version, *extra)
    return version, key, public_version.public_cache().get(key)


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token: it belongs to one visitor
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:  # the session cookie would be set after this
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "_queued_messages", None):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def store(request, response, version: public_version.PublicVersion, key: str) -> CachedPage | None:
    """Keep a rendered response as the public copy; None when it must not be shared."""
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    if not _storable(request, response):
        return None
    content = response.content
    gzipped = gzip.compress(content, compresslevel=6, mtime=0) if len(content) >= _GZIP_MIN_BYTES else None
    # Shared caches keep one copy for visitors without a session; a signed-in visitor's cookie makes it a miss.
    patch_vary_headers(response, ("Accept-Encoding", "Cookie") if gzipped else ("Cookie",))
    etag = f'W/"{hashlib.blake2b(content, digest_size=12).hexdigest()}"'
    last_modified = int(time.time())
    headers = [(k, v) for k, v in response.items() if k.lower() not in _OWN_HEADERS and k != "Content-Type"]
    headers += [("ETag", etag), ("Last-Modified", http_date(last_modified))]
    page = CachedPage(
        content_type=response["Content-Type"],
        headers=tuple(headers),
        content=content,
        gzipped=gzipped,
        etag=etag,
        last_modified=last_modified,
    )
    timeout = _setting("PUBLIC_PAGE_CACHE_SECONDS", 24 * 60 * 60)
    left = version.seconds_left()
    if left is not None:
        timeout = min(timeout, int(left))
    if timeout > 0:
        public_version.public_cache().set(key, page, timeout)
    return page


def _cache_control_header(version: public_version.PublicVersion) -> str:
    values = public_cache_control(version)
    return (
        f"public, max-age={values['max_age']}, s-maxage={values['s_maxage']}, "
        f"stale-while-revalidate={values['stale_while_revalidate']}"
    )


_CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def public_cache_control(version: public_version.PublicVersion) -> dict[str, int | bool]:
    """max-age for browsers, s-maxage and stale-while-revalidate for proxies; none runs past the next scheduled
    change, so a publication at 12.00 is on every proxy at 12.00."""
    max_age = _setting("PUBLIC_CACHE_MAX_AGE", 60)
    s_maxage = _setting("PUBLIC_CACHE_S_MAXAGE", 300)
    stale = _setting("PUBLIC_CACHE_STALE_WHILE_REVALIDATE", 60)
    left = version.seconds_left()
    if left is not None:
        left = int(left)
        max_age, s_maxage = min(max_age, left), min(s_maxage, left)
        stale = max(0, min(stale, left - s_maxage))
    return {"public": True, "max_age": max_age, "s_maxage": s_maxage, "stale_while_revalidate": stale}


def respond(request, page: CachedPage, version: public_version.PublicVersion) -> HttpResponse:
    """The public copy for this request: compressed when the client accepts it, or 304 when it has it already."""
    compressed = page.gzipped is not None and _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    response = HttpResponse(page.gzipped if compressed else page.content, content_type=page.content_type)
    headers = response.headers
    for name, value in page.headers:
        headers[name] = value
    if compressed:
        headers["Content-Encoding"] = "gzip"
    headers["Cache-Control"] = _cache_control_header(version)
    if any(name in request.META for name in _CONDITIONAL):
        return get_conditional_response(request, etag=page.etag, last_modified=page.last_modified, response=response)
    return response


def mark_private(response):
    """A page rendered for one visitor (signed in, or with a session of their own): for that visitor only, and not
    kept, as it may carry their name (config/middleware.py says the same of every signed-in page)."""
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def public_page(view):
    """Serve a public page from the shared copy to visitors who are not signed in (see the module's doc)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not shareable(request):
            response = view(request, *args, **kwargs)
            return mark_private(response) if request.method in ("GET", "HEAD") else response
        version, key, page = lookup(request)
        if page is None:
            response = view(request, *args, **kwargs)
            page = store(request, response, version, key)
            if page is None:
                return mark_private(response) if response.status_code == 200 else response
        return respond(request, page, version)

    wrapped.public_page = True
    return wrapped


class PublicPageMiddleware:
    """Serves a stored public copy before the URL is even resolved: for a shareable request, the work is then two
    cache reads. Place it last in MIDDLEWARE, so that every other middleware still sees the request and the
    response (security headers, CSP, language). Only what @public_page stored can be found here: the key is the
    same, and nothing else is ever stored under it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if shareable(request):
            try:
                version, _key, page = lookup(request)
            except DatabaseError:
                # After a change the version asks the database for the next scheduled moment; when that fails,
                # the request goes on as if nothing were cached (the health check must say the database is down).
                page = None
            if page is not None:
                return respond(request, page, version)
        return self.get_response(request)
