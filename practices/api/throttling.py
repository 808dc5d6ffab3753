"""Rate limiting of the open data API per client address."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class OpenDataRateThrottle(AnonRateThrottle):
    """AnonRateThrottle keyed by the connecting address.

    DRF's default trusts the whole X-Forwarded-For header when NUM_PROXIES is unset, which lets any client pick
    a new identity per request and walk past the limit. Unless the deployment declares how many proxies it runs
    behind (REST_FRAMEWORK["NUM_PROXIES"]), only REMOTE_ADDR counts."""

    def get_ident(self, request):
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR", "")
        return super().get_ident(request)


class ClearThrottleMessageMixin:
    """A 429 that says what happened and when to come back; DRF also sends the Retry-After header."""

    def throttled(self, request, wait):
        seconds = max(1, round(wait or 1))
        raise Throttled(
            wait=seconds,
            detail=_(
                "Too many requests from your address. The open data API allows %(rate)s per address; "
                "try again in %(seconds)d seconds."
            )
            % {"rate": OpenDataRateThrottle().rate, "seconds": seconds},
        )
