"""A per-address limit for the public forms that send e-mail: password reset and account requests.

Built on DRF's throttle (already the API's limiter): the request history lives in the cache, keyed by form and
client address. The client address is the one the API counts by (config/throttling.py).
"""

from rest_framework.throttling import SimpleRateThrottle

from config.throttling import ConnectingAddressMixin


class PublicFormThrottle(ConnectingAddressMixin, SimpleRateThrottle):
    scope = "public_form"

    def __init__(self, form_name: str):
        self.form_name = form_name
        super().__init__()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": f"{self.scope}:{self.form_name}", "ident": self.get_ident(request)}

    def minutes_to_wait(self) -> int:
        return max(1, round((self.wait() or 60) / 60))
