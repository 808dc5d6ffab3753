"""The client address that rate limits count by, shared by the open data API and the public forms."""

from rest_framework.settings import api_settings


class ConnectingAddressMixin:
    """For DRF throttles: key by the connecting address.

    DRF's default trusts the whole X-Forwarded-For header when NUM_PROXIES is unset, which lets any client pick
    a new identity per request and walk past the limit. Unless the deployment declares how many proxies it runs
    behind (REST_FRAMEWORK["NUM_PROXIES"]), only REMOTE_ADDR counts."""

    def get_ident(self, request):
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR", "")
        return super().get_ident(request)
