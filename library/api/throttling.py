"""Rate limiting of the open data API per client address."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import Throttled
from rest_framework.throttling import AnonRateThrottle

from accounts.throttling import ConnectingAddressMixin


class OpenDataRateThrottle(ConnectingAddressMixin, AnonRateThrottle):
    """AnonRateThrottle keyed by the connecting address (see accounts/throttling.py)."""


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
