"""Views of the accounts app: signing in and out, passwords, the second factor, invitations, account requests,
the profile, and the pages shown when access is refused."""

import math
from urllib.parse import urlsplit

import segno
from axes.helpers import get_cool_off
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Q, When
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy, translate_url
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import CreateView, FormView, ListView, TemplateView
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import retention, services
from .audit import audit, safe_path
from .forms import (
    AccountRequestDecisionForm,
    AccountRequestForm,
    EmailAuthenticationForm,
    EmailPasswordResetForm,
    InvitationAcceptForm,
    InvitationForm,
    InvitationNameForm,
    InvitationOpenForm,
    ProfileForm,
    RetentionForm,
    SecondFactorForm,
    TOTPConfirmForm,
)
from .models import AccountRequest, AuditEvent, Invitation, User
from .permissions import RuleRequiredMixin
from .roles import elevated_role_lines, landing_url, scoped_role, scoped_roles
from .rules import role_requires_second_factor, second_factor_required
from .throttling import PublicFormThrottle

RECOVERY_CODES_SESSION_KEY = "accounts_recovery_codes"
# The address of a person who has just accepted an invitation to a role that signs in with e-mailed codes.
INVITED_EMAIL_SESSION_KEY = "accounts_invited_email"


def safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def in_language(url: str, language: str) -> str:
    """The same page in `language` (its language prefix swapped); unchanged where the URL has none."""
    # translate_url resolves the URL in the active language, so activate the URL's own language first.
    with translation.override(translation.get_language_from_path(urlsplit(url).path) or translation.get_language()):
        return translate_url(url, language)


def second_factor_url(request, user, next_url: str) -> str:
    name = "accounts:otp_verify" if user_has_device(user, confirmed=True) else "accounts:otp_setup"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


# Signing in and out ------------------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Password sign-in. Django gives the session a new key; then the second factor when the user needs one,
    and the pages continue in the user's preferred language."""

    template_name = "accounts/login.html"
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        auth_login(self.request, user)
        language = user.preferred_language or settings.LANGUAGE_CODE
        translation.activate(language)
        self.request.LANGUAGE_CODE = language
        with translation.override(language):
            next_url = self.get_redirect_url() or landing_url(user, reverse(settings.LOGIN_REDIRECT_URL))
        next_url = in_language(next_url, language)
        if second_factor_required(user):
            next_url = second_factor_url(self.request, user, next_url)
        response = HttpResponseRedirect(next_url)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView): the session is flushed on the server, not just forgotten."""


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password keeps this session and ends every other one (their session hash no longer matches)."""

    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit("password_changed", actor=self.request.user, target=self.request.user, request=self.request)
        return response


def refused_when_throttled(view, form, form_name: str):
    """The 429 answer of a public form past its per-address limit, or None. What was typed stays in the form."""
    throttle = PublicFormThrottle(form_name)
    if throttle.allow_request(view.request, None):
        return None
    audit("rate_limited", request=view.request, form=form_name)
    form.add_error(
        None,
        _("Too many requests from your address. Please try again in %(minutes)d minutes.")
        % {"minutes": throttle.minutes_to_wait()},
    )
    response = view.form_invalid(form)
    response.status_code = 429
    return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = EmailPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        return refused_when_throttled(self, form, "password_reset") or super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever can read the account's e-mail may sign in again at once: the account's lockout ends.
        axes_reset(username=form.user.email)
        audit("password_reset", actor=form.user, target=form.user, request=self.request)
        return response


# Second factor -----------------------------------------------------------------------------------------------


class SecondFactorSetupView(LoginRequiredMixin, FormView):
    """Show a QR code and the secret of a new authenticator; confirm it with a code from the app."""

    template_name = "accounts/otp_setup.html"
    form_class = TOTPConfirmForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and user_has_device(request.user, confirmed=True):
            if not request.user.is_verified():
                return redirect(second_factor_url(request, request.user, safe_next(request, reverse("home"))))
            messages.info(request, _("You already use an authenticator app."))
            return redirect("accounts:profile")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = services.totp_device_pending(user=self.request.user)
        config_url = device.config_url
        context["qr_data_uri"] = segno.make(config_url, error="m").svg_data_uri(scale=5, border=2)
        # On a phone the QR code cannot be scanned by the same phone: the otpauth:// link opens the app instead.
        context["config_url"] = config_url
        secret = services.totp_secret_base32(device)
        # In groups of four, easier to type; authenticator apps ignore the spaces.
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        context["next"] = safe_next(self.request, "")
        context["required"] = second_factor_required(self.request.user)
        return context

    def _allowed(self, form) -> bool:
        until = services.second_factor_throttled_until(user=self.request.user)
        if until is None:
            return True
        seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
        form.add_error(
            "token",
            ngettext(
                "Too many wrong codes. Wait %(seconds)d second and try again.",
                "Too many wrong codes. Wait %(seconds)d seconds and try again.",
                seconds,
            )
            % {"seconds": seconds},
        )
        return False

    def form_valid(self, form):
        if not self._allowed(form):
            return self.form_invalid(form)
        result = services.totp_device_confirm(
            user=self.request.user, token=form.cleaned_data["token"], request=self.request
        )
        if result is None:
            form.add_error("token", _("The code did not match. Check the time on your phone and try again."))
            return self.form_invalid(form)
        device, codes = result
        otp_login(self.request, device)
        self.request.session[RECOVERY_CODES_SESSION_KEY] = codes
        # A new jury member continues to their worklist (their landing), not to the profile page.
        next_url = safe_next(self.request, landing_url(self.request.user, reverse("accounts:profile")))
        return redirect(f"{reverse('accounts:otp_recovery_codes')}?{urlencode({'next': next_url})}")


class SecondFactorVerifyView(LoginRequiredMixin, FormView):
    """The second step of signing in: a code from the authenticator app or an unused recovery code."""

    template_name = "accounts/otp_verify.html"
    form_class = SecondFactorForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not user_has_device(request.user, confirmed=True):
            return redirect(second_factor_url(request, request.user, safe_next(request, reverse("home"))))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = safe_next(self.request, "")
        return context

    def form_valid(self, form):
        if not SecondFactorSetupView._allowed(self, form):
            return self.form_invalid(form)
        device = services.second_factor_verify(
            user=self.request.user, token=form.cleaned_data["token"], request=self.request
        )
        if device is None:
            form.add_error("token", _("The code is not valid. Try the current code from the app, or a recovery code."))
            return self.form_invalid(form)
        # A fresh session key also when the second factor is passed, as at the first step.
        self.request.session.cycle_key()
        otp_login(self.request, device)
        if isinstance(device, StaticDevice):
            left = device.token_set.count()
            messages.warning(
                self.request,
                _(
                    "You signed in with a recovery code. %(count)d codes are left; "
                    "you can create new ones on your profile."
                )
                % {"count": left},
            )
        return redirect(safe_next(self.request, reverse("home")))


class RecoveryCodesView(LoginRequiredMixin, TemplateView):
    """Shows freshly made recovery codes once (they are not stored in readable form anywhere we show again);
    POST makes a new set, which needs a verified session."""

    template_name = "accounts/otp_recovery_codes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["codes"] = self.request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
        context["next"] = safe_next(self.request, reverse("accounts:profile"))
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.is_verified():
            raise PermissionDenied
        request.session[RECOVERY_CODES_SESSION_KEY] = services.recovery_codes_regenerate(
            user=request.user, request=request
        )
        return redirect("accounts:otp_recovery_codes")


@require_POST
def second_factor_disable(request):
    if not request.user.is_authenticated:
        return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': reverse('accounts:profile')})}")
    if not user_has_device(request.user, confirmed=True):
        return redirect("accounts:profile")
    if not request.user.is_verified():
        raise PermissionDenied
    try:
        services.second_factor_remove(user=request.user, request=request)
    except PermissionDenied:
        messages.error(request, _("Your role requires the second factor, so it cannot be turned off."))
    else:
        messages.success(request, _("The second factor is now off for your account."))
    return redirect("accounts:profile")


# Session -----------------------------------------------------------------------------------------------------


@never_cache
@require_GET
def session_status(request):
    """For pages with long forms: is the session still on? Asking renews it (SESSION_SAVE_EVERY_REQUEST), which
    is what the "Stay signed in" button of the session warning does. JSON only; names nothing of the user."""
    if not request.user.is_authenticated:
        login_url = f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': safe_next(request, reverse('home'))})}"
        message = _("Your session has ended. Sign in again to continue.")
        return JsonResponse({"signed_in": False, "message": message, "login_url": login_url}, status=403)
    return JsonResponse({"signed_in": True, "seconds_left": settings.SESSION_COOKIE_AGE})


# Profile -----------------------------------------------------------------------------------------------------


class ProfileView(LoginRequiredMixin, FormView):
    template_name = "accounts/profile.html"
    form_class = ProfileForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context["memberships"] = user.memberships.select_related("organisation").order_by("organisation__name")
        context["other_roles"] = elevated_role_lines(user)
        context["has_totp"] = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        static = StaticDevice.objects.filter(user=user).first()
        context["recovery_codes_left"] = static.token_set.count() if static else 0
        context["second_factor_required"] = role_requires_second_factor(user)
        return context

    def form_valid(self, form):
        user = self.request.user
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        if data:
            services.profile_update(user=user, data=data, request=self.request)
        messages.success(self.request, _("Your details were saved."))
        response = redirect(in_language(reverse("accounts:profile"), user.preferred_language))
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.preferred_language, samesite="Lax")
        return response


# Invitations -------------------------------------------------------------------------------------------------


class InvitationListView(RuleRequiredMixin, CreateView):
    """Staff: send an invitation, and see the recent ones."""

    rule = "accounts.manage_accounts"
    template_name = "accounts/invitation_list.html"
    form_class = InvitationForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The scopes come from the apps that registered them, as they want them fetched (a cycle with its award).
        scopes = {role.scopes().model: role.scopes() for role in scoped_roles()}
        context["invitations"] = Invitation.objects.select_related("organisation", "invited_by").prefetch_related(
            GenericPrefetch("scope", list(scopes.values()))
        )[:100]
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        invitation = services.invitation_send(
            email=data["email"],
            role=data["role"],
            organisation=data.get("organisation"),
            scope=form.scope,
            language=data.get("language") or None,
            by=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The invitation was sent to %(email)s.") % {"email": invitation.email})
        return redirect("accounts:invitation_list")


INVITATION_SESSION_KEY = "accounts_invitation"


def _invitation_invalid(request, reason: str):
    return render(request, "accounts/invitation_invalid.html", {"reason": reason}, status=410)


class InvitationOpenView(View):
    """Where the invitation e-mail leads. The token is in the link's #fragment, which the browser keeps to itself:
    a small script (static/js/invitation.js) posts it here, or the person types the code from the e-mail. Only
    the token's hash goes into the session; the token is then in no address, access log or Referer."""

    template_name = "accounts/invitation_open.html"

    def get(self, request):
        return render(request, self.template_name, {"form": InvitationOpenForm()})

    def post(self, request):
        form = InvitationOpenForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        try:
            invitation = services.invitation_for_token(form.cleaned_data["token"])
        except services.InvitationInvalidError as invalid:
            return _invitation_invalid(request, invalid.reason)
        request.session[INVITATION_SESSION_KEY] = invitation.token_hash
        return redirect("accounts:invitation_accept")


class InvitationAcceptView(View):
    """The invitation opened in this session. A new person sets name and password; an existing account signs in
    first (the session keeps the invitation through signing in)."""

    template_name = "accounts/invitation_accept.html"

    def dispatch(self, request, *args, **kwargs):
        self.token_hash = request.session.get(INVITATION_SESSION_KEY, "")
        if not self.token_hash:
            return redirect("accounts:invitation_open")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        try:
            invitation = services.invitation_for_token(token_hash=self.token_hash)
        except services.InvitationInvalidError as invalid:
            return _invitation_invalid(request, invalid.reason)
        return render(request, self.template_name, self._page(request, invitation))

    @staticmethod
    def _sign_in_url(invitation) -> str:
        """The role's own sign-in by e-mailed code, or "" for a role that signs in with a password."""
        role = scoped_role(invitation.role)
        return role.sign_in_url if role is not None else ""

    def _form(self, invitation, data=None):
        form_class = InvitationNameForm if self._sign_in_url(invitation) else InvitationAcceptForm
        return form_class(data, email=invitation.email)

    def _page(self, request, invitation, form=None):
        existing = User.objects.filter(email__iexact=invitation.email).first()
        sign_in_url = self._sign_in_url(invitation)
        context = {"invitation": invitation, "existing": existing, "passwordless": bool(sign_in_url)}
        if existing is None:
            context["form"] = form or self._form(invitation)
        else:
            context["signed_in_as_invitee"] = request.user.is_authenticated and request.user.pk == existing.pk
            login = (
                reverse(sign_in_url)
                if sign_in_url and not existing.has_usable_password()
                else reverse(settings.LOGIN_URL)
            )
            context["login_url"] = f"{login}?{urlencode({'next': request.get_full_path()})}"
        return context

    def post(self, request):
        try:
            invitation = services.invitation_for_token(token_hash=self.token_hash)
        except services.InvitationInvalidError as invalid:
            return _invitation_invalid(request, invalid.reason)
        existing = User.objects.filter(email__iexact=invitation.email).first()
        form = None
        if existing is None:
            form = self._form(invitation, request.POST)
            if not form.is_valid():
                return render(request, self.template_name, self._page(request, invitation, form))
            kwargs = {
                "first_name": form.cleaned_data["first_name"],
                "last_name": form.cleaned_data["last_name"],
                "password": form.cleaned_data.get("password1", ""),
            }
        else:
            kwargs = {"user": request.user if request.user.is_authenticated else None}
        try:
            user = services.invitation_accept(token_hash=self.token_hash, request=request, **kwargs)
        except services.InvitationInvalidError as invalid:
            return _invitation_invalid(request, invalid.reason)
        except PermissionDenied:
            return render(request, self.template_name, self._page(request, invitation), status=403)
        except ValidationError as error:
            form.add_error("password2", error)
            return render(request, self.template_name, self._page(request, invitation, form))
        request.session.pop(INVITATION_SESSION_KEY, None)
        messages.success(request, _("Welcome! Your role is now: %(role)s.") % {"role": invitation.role_label})
        return redirect(self._next_url(request, invitation, user, new=existing is None))

    def _next_url(self, request, invitation, user, *, new: bool) -> str:
        if new and self._sign_in_url(invitation):
            # No password: the person signs in with a code sent to the address the invitation went to.
            request.session[INVITED_EMAIL_SESSION_KEY] = user.email
            return in_language(reverse(self._sign_in_url(invitation)), user.preferred_language)
        if new:
            auth_login(request, user, backend="accounts.backends.EmailBackend")
        with translation.override(user.preferred_language):
            next_url = landing_url(user, reverse("accounts:profile"))
        # A new account has just signed in with its password only; an existing one may have passed the factor.
        verified = not new and request.user.is_verified()
        if second_factor_required(user) and not verified:
            next_url = second_factor_url(request, user, next_url)
        return next_url


# Account requests --------------------------------------------------------------------------------------------


class AccountRequestView(FormView):
    template_name = "accounts/account_request.html"
    form_class = AccountRequestForm

    def form_valid(self, form):
        if refused := refused_when_throttled(self, form, "account_request"):
            return refused
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        language = translation.get_language()[:2]
        created = services.account_request_create(data=data, language=language, request=self.request)
        if created.proved_by_domain:
            # An address at the chosen organisation's own e-mail domain is proved by a link, without staff.
            return redirect(f"{reverse('accounts:account_request_done')}?{urlencode({'domain': '1'})}")
        return redirect("accounts:account_request_done")


class AccountRequestDoneView(TemplateView):
    template_name = "accounts/account_request_done.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["by_domain"] = self.request.GET.get("domain") == "1"
        return context


class DomainConfirmView(View):
    """The link of an organisation's e-mail domain: confirming it (POST, so that mail scanners opening the link do
    not) gives nominating rights at once; a new person then sets a password."""

    template_name = "accounts/domain_confirm.html"

    def get(self, request, token):
        try:
            data, organisation = services.domain_proof_read(token)
        except services.DomainProofInvalidError:
            return render(request, self.template_name, {"invalid": True}, status=410)
        return render(request, self.template_name, {"email": data["e"], "organisation": organisation})

    def post(self, request, token):
        try:
            user, organisation, _is_new = services.domain_proof_confirm(token=token, request=request)
        except services.DomainProofInvalidError:
            return render(request, self.template_name, {"invalid": True}, status=410)
        messages.success(request, _("You may now nominate for %(organisation)s.") % {"organisation": organisation})
        if not user.has_usable_password():
            with translation.override(user.preferred_language):
                return redirect(services.set_password_url(user))
        if request.user.is_authenticated and request.user.pk == user.pk:
            return redirect("awards:nomination_list")
        return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': reverse('awards:nomination_list')})}")


@require_POST
def domain_request(request):
    """A signed-in person at an organisation's e-mail domain asks for the link that gives nominating rights."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    organisation = services.domain_organisation(request.user.email)
    if organisation is None:
        messages.info(request, _("Your address is not at the e-mail domain of an organisation: ask the organisers."))
        return redirect("awards:nomination_list")
    services.domain_proof_send(
        email=request.user.email,
        organisation=organisation,
        language=request.user.preferred_language,
        user=request.user,
        request=request,
    )
    messages.success(
        request,
        _("A link was sent to %(email)s. Open it to nominate for %(organisation)s.")
        % {"email": request.user.email, "organisation": organisation},
    )
    return redirect("awards:nomination_list")


class AccountRequestListView(RuleRequiredMixin, ListView):
    rule = "accounts.manage_accounts"
    template_name = "accounts/account_request_list.html"
    context_object_name = "account_requests"

    def get_queryset(self):
        # Those waiting for a decision first, oldest first (they have waited longest); then the decided, newest first.
        pending = Q(state=AccountRequest.State.PENDING)
        return AccountRequest.objects.select_related("organisation", "decided_by").order_by(
            Case(When(pending, then=0), default=1),
            Case(When(pending, then="created_at")).asc(),
            "-created_at",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation_choices = None
        for item in context["account_requests"]:
            if item.state == AccountRequest.State.PENDING:
                form = AccountRequestDecisionForm(
                    initial={"organisation": item.organisation_id}, prefix=f"r{item.pk}", account_request=item
                )
                if organisation_choices is None:
                    organisation_choices = list(form.fields["organisation"].choices)
                # The same list of organisations for every form: one query, not one per request.
                form.fields["organisation"].choices = organisation_choices
                item.decision_form = form
        return context


class AccountRequestDecideView(RuleRequiredMixin, View):
    rule = "accounts.manage_accounts"

    def post(self, request, pk):
        account_request = get_object_or_404(AccountRequest, pk=pk)
        form = AccountRequestDecisionForm(request.POST, prefix=f"r{pk}", account_request=account_request)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, f"{account_request}: {error}")
            return redirect("accounts:account_request_list")
        try:
            decision = form.cleaned_data["decision"]
            if decision in ("approve", "approve_new"):
                services.account_request_approve(
                    account_request=account_request,
                    organisation=form.cleaned_data["organisation"] if decision == "approve" else None,
                    new_organisation_kind=form.cleaned_data.get("new_organisation_kind") or None,
                    by=request.user,
                    request=request,
                )
                messages.success(
                    request, _("Approved: %(who)s will get a link to set a password.") % {"who": account_request}
                )
            else:
                services.account_request_reject(account_request=account_request, by=request.user, request=request)
                messages.success(request, _("Rejected: %(who)s.") % {"who": account_request})
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect("accounts:account_request_list")


# Retention ---------------------------------------------------------------------------------------------------


class RetentionView(RuleRequiredMixin, FormView):
    """Staff: how long each kind of record is kept; the queue applies the periods daily."""

    rule = "accounts.manage_accounts"
    template_name = "accounts/retention.html"
    form_class = RetentionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "periods": retention.periods()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        last_run = AuditEvent.objects.filter(action="retention.applied").order_by("-created_at").first()
        context["last_run"] = last_run
        if last_run is not None:
            labels = {kind.name: kind.label for kind in retention.kinds()}
            context["last_counts"] = [(labels.get(name, name), count) for name, count in last_run.data.items()]
        return context

    def form_valid(self, form):
        current = {kind.name: days for kind, days in retention.periods()}
        for name, days in form.cleaned_data.items():
            if current.get(name) != days:
                retention.period_set(kind=name, days=days, by=self.request.user, request=self.request)
        messages.success(self.request, _("The retention periods were saved."))
        return redirect("accounts:retention")


# Refusals ----------------------------------------------------------------------------------------------------


def permission_denied(request, exception=None):
    """handler403: a plain page, and an audit entry naming the path (never a token or a query string)."""
    audit(
        "permission_denied",
        actor=getattr(request, "user", None),
        request=request,
        path=safe_path(request),
        method=request.method,
    )
    return render(request, "403.html", status=403)


def lockout(request, original_response=None, credentials=None):
    """django-axes lockout response: tell the person plainly that signing in is blocked, and for how long."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    return render(request, "accounts/lockout.html", {"minutes": minutes}, status=429)
