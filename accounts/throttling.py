"""Limits per client address: the public forms that send e-mail (password reset, account requests), and the
address rule that the open-data API's limit shares.

Built on DRF's throttle: the request history lives in the cache (Redis in production, shared by every process),
keyed by form and client address.
"""

from rest_framework.throttling import SimpleRateThrottle

from .network import client_address


class ConnectingAddressMixin:
    """For DRF throttles: key by the client address as accounts/network.py reads it.

    DRF's default trusts the whole X-Forwarded-For header when NUM_PROXIES is unset, which lets any client pick
    a new identity per request and walk past the limit; ours trusts only the proxies the operator declared."""

    def get_ident(self, request):
        return client_address(request) or ""


class PublicFormThrottle(ConnectingAddressMixin, SimpleRateThrottle):
    scope = "public_form"

    def __init__(self, form_name: str):
        self.form_name = form_name
        super().__init__()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": f"{self.scope}:{self.form_name}", "ident": self.get_ident(request)}

    def minutes_to_wait(self) -> int:
        return max(1, round((self.wait() or 60) / 60))
