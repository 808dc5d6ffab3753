"""Public pages of the results: each year's page and the archive of all years, cached for the announcement day.

Anonymous visitors get the pages' content from the cache, keyed on the language and the publication
fingerprint (awards.archive.publication_fingerprint), so publishing or changing a result shows at once; browsers
revalidate with ETag and Last-Modified and get 304 Not Modified while nothing changed."""

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import condition, require_safe

from awards.archive import archive_cycles, public_cycle, publication_fingerprint, year_page_context
from awards.feeds import AnnouncementFeed

CACHE_SECONDS = 60 * 60


def _fingerprint(request):
    # Read once per request: the conditional-GET functions and the view share it.
    if not hasattr(request, "_publication_fingerprint"):
        request._publication_fingerprint = publication_fingerprint()
    return request._publication_fingerprint


def _anonymous(request) -> bool:
    return not request.user.is_authenticated


def _year_etag(request, year):
    fingerprint = _fingerprint(request)
    if not _anonymous(request) or year not in fingerprint.years:
        return None
    return fingerprint.etag("year", year, get_language())


def _year_last_modified(request, year):
    fingerprint = _fingerprint(request)
    if not _anonymous(request) or year not in fingerprint.years:
        return None
    return fingerprint.last_modified


def year_bundle(request, cycle, *, preview: bool = False) -> dict:
    """The rendered content of a year's page and its share metadata."""
    context = year_page_context(cycle)
    context["preview"] = preview
    first = context["images"][0] if context["images"] else None
    return {
        "content": render_to_string("awards/archive/_year_content.html", context, request=None),
        "title": context["announcement"].title if context["announcement"] else "",
        "year": cycle.year,
        "award_name": cycle.award.name,
        "description": (context["announcement"].text if context["announcement"] else "")[:300],
        "image_url": first.image.url if first else "",
        "image_alt": first.alt if first else "",
    }


def render_year(request, bundle: dict, *, preview: bool = False):
    context = dict(bundle, content=mark_safe(bundle["content"]), preview=preview)  # noqa: S308 (our own render)
    response = render(request, "awards/archive/year.html", context)
    # Browsers keep the page but ask every time (a cheap 304), so a published change shows at once.
    patch_cache_control(response, no_cache=True)
    return response


@require_safe
@condition(etag_func=_year_etag, last_modified_func=_year_last_modified)
def year_page(request, year: int):
    fingerprint = _fingerprint(request)
    if year not in fingerprint.years:
        raise Http404
    key = f"awards:year:{year}:{get_language()}:{fingerprint.key}"
    bundle = cache.get(key) if _anonymous(request) else None
    if bundle is None:
        cycle = public_cycle(year)
        if cycle is None:
            raise Http404
        bundle = year_bundle(request, cycle)
        if _anonymous(request):
            cache.set(key, bundle, CACHE_SECONDS)
    return render_year(request, bundle)


def _archive_etag(request):
    if not _anonymous(request):
        return None
    return _fingerprint(request).etag("archive", get_language())


def _archive_last_modified(request):
    return _fingerprint(request).last_modified if _anonymous(request) else None


@require_safe
@condition(etag_func=_archive_etag, last_modified_func=_archive_last_modified)
def archive_page(request):
    fingerprint = _fingerprint(request)
    key = f"awards:archive:{get_language()}:{fingerprint.key}"
    content = cache.get(key) if _anonymous(request) else None
    if content is None:
        content = render_to_string("awards/archive/_archive_content.html", {"cycles": archive_cycles()})
        if _anonymous(request):
            cache.set(key, content, CACHE_SECONDS)
    response = render(request, "awards/archive/archive.html", {"content": mark_safe(content)})  # noqa: S308
    patch_cache_control(response, no_cache=True)
    return response


def _feed_etag(request):
    return _fingerprint(request).etag("feed", get_language())


def _feed_last_modified(request):
    return _fingerprint(request).last_modified


# The Atom feed: the same rule, revalidated by feed readers with ETag and Last-Modified.
feed = require_safe(condition(etag_func=_feed_etag, last_modified_func=_feed_last_modified)(AnnouncementFeed()))
