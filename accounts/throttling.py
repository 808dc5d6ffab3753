"""A per-address limit for the public forms that send e-mail: password reset and account requests.

Built on DRF's throttle (already the API's limiter): the request history lives in the cache, keyed by form and
client address. Without REST_FRAMEWORK["NUM_PROXIES"] only the connecting address counts, as in the API.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class PublicFormThrottle(SimpleRateThrottle):
    scope = "public_form"

    def __init__(self, form_name: str):
        self.form_name = form_name
        super().__init__()

    def get_ident(self, request):
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR", "")
        return super().get_ident(request)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": f"{self.scope}:{self.form_name}", "ident": self.get_ident(request)}

    def minutes_to_wait(self) -> int:
        return max(1, round((self.wait() or 60) / 60))
