"""The client's address, read one way everywhere: sign-in lockouts (django-axes), the audit log and the limits.

Behind TRUSTED_PROXIES reverse proxies (settings; nginx in docker-compose is one), each proxy appends the address
it was connected from to X-Forwarded-For, so the client is that many entries from the right; whatever the client
wrote further left is its own claim and ignored. With no trusted proxy only the connection counts: the header
could then be forged by anyone."""

import ipaddress

from django.conf import settings


def _valid(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # The entry the nearest trusted proxy vouches for; a shorter list than promised means fewer proxies answered.
    return _valid(forwarded[-min(proxies, len(forwarded))]) or remote
