"""Limits per client address: the public forms that send e-mail (password reset, account requests), and the
address rule that the open-data API's limit shares.

Built on DRF's throttle: the request history lives in the cache, keyed by form and client address.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class ConnectingAddressMixin:
    """For DRF throttles: key by the connecting address.

    DRF's default trusts the whole X-Forwarded-For header when NUM_PROXIES is unset, which lets any client pick
    a new identity per request and walk past the limit. Unless the deployment declares how many proxies it runs
    behind (REST_FRAMEWORK["NUM_PROXIES"]), only REMOTE_ADDR counts."""

    def get_ident(self, request):
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR", "")
        return super().get_ident(request)


class PublicFormThrottle(ConnectingAddressMixin, SimpleRateThrottle):
    scope = "public_form"

    def __init__(self, form_name: str):
        self.form_name = form_name
        super().__init__()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": f"{self.scope}:{self.form_name}", "ident": self.get_ident(request)}

    def minutes_to_wait(self) -> int:
        return max(1, round((self.wait() or 60) / 60))
