"""The admin site: staff with a verified second factor only; signing in goes through the service's own pages."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite


class SecureAdminSite(OTPAdminSite):
    site_header = _("Kunnallinen lastensuojeluteko – administration")
    site_title = _("Administration")

    def __init__(self, name="admin"):
        super().__init__(name)

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_staff and user.is_verified())

    def login(self, request, extra_context=None):
        # One sign-in page for everyone: password, then the second factor (accounts.views). A signed-in user
        # who still lacks access here is refused, not sent round in a loop.
        if self.has_permission(request):
            return redirect(reverse("admin:index", current_app=self.name))
        if request.user.is_authenticated:
            raise PermissionDenied
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")
