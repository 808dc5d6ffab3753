"""Second-factor enforcement: jurors, chairs and staff see nothing but public pages until they pass it."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from .access import SECOND_FACTOR_EXEMPT, is_public
from .audit import audit, safe_path
from .rules import second_factor_required


class RequireSecondFactorMiddleware:
    """Place after django_otp's OTPMiddleware. For a user who needs a second factor and has not passed it in
    this session, every non-public URL (unclassified ones included: deny by default) redirects to setting one
    up or to entering a code; the refusal is audited."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else None
        if is_public(view_name) or view_name in SECOND_FACTOR_EXEMPT:
            return None
        if user.is_verified() or not second_factor_required(user):
            return None
        audit(
            "permission_denied",
            actor=user,
            request=request,
            path=safe_path(request),
            reason="second_factor_required",
        )
        name = "accounts:otp_verify" if user_has_device(user, confirmed=True) else "accounts:otp_setup"
        next_url = request.get_full_path() if request.method == "GET" else reverse("home")
        return redirect(f"{reverse(name)}?{urlencode({'next': next_url})}")
