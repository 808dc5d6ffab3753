"""Pages of the experts-by-experience panel: signing in with an e-mailed code, the member's plain-language reading
and rubric (phone first), and staff's management of the panel and of what it may read.

A member sees only the nominations staff cleared for the panel (awards.selectors.panel.panel_nominations), never
the contact details or attachments staff have not cleared; anything else is a 404."""

import hashlib
import math

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView
from django_otp import login as otp_login

from accounts.audit import audit
from accounts.throttling import PublicFormThrottle
from accounts.views import INVITED_EMAIL_SESSION_KEY
from awards.forms.panel import PanelClearanceForm, PanelCodeForm, PanelReviewForm, PanelSignInForm, PseudonymForm
from awards.models import AwardCycle, Nomination, PanelClearance, PanelMembership, PanelReview
from awards.selectors.panel import (
    cleared_attachment,
    cleared_attachments,
    panel_cycles,
    panel_member,
    panel_nominations,
    panel_questions,
    panel_worklist,
)
from awards.selectors.safeguard import attachment_file
from awards.services import panel as services

from .nominations import StaffRequiredMixin

SIGN_IN_EMAIL_SESSION_KEY = "awards_panel_sign_in_email"

# The nominator's own words shown to the panel, after staff's plain-language summary, in reading order.
PANEL_READING_FIELDS = ["summary", "basic_idea", "target_group_description", "achieved_changes"]


def _safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


class PerEmailThrottle(PublicFormThrottle):
    """The code's limit per e-mail address, beside PublicFormThrottle's per client address."""

    def __init__(self, form_name: str, email: str):
        self.email_key = hashlib.sha256(email.lower().encode()).hexdigest()[:32]
        super().__init__(form_name)

    def get_ident(self, request):
        return self.email_key


def _throttled(request, email: str) -> int | None:
    """Minutes to wait when the address or the e-mail has asked for too many codes; None when allowed."""
    for throttle in (PublicFormThrottle("panel_code"), PerEmailThrottle("panel_code_email", email)):
        if not throttle.allow_request(request, None):
            audit("rate_limited", request=request, form="panel_code")
            return throttle.minutes_to_wait()
    return None


# Signing in ---------------------------------------------------------------------------------------------------


class PanelSignInView(View):
    """Step one: the member's e-mail address; a code goes to it if it belongs to a panel member."""

    template_name = "awards/panel/sign_in.html"

    def get(self, request):
        email = request.session.get(INVITED_EMAIL_SESSION_KEY, "")
        form = PanelSignInForm(initial={"email": email})
        return render(request, self.template_name, {"form": form, "next": _safe_next(request, "")})

    def post(self, request):
        form = PanelSignInForm(request.POST)
        context = {"form": form, "next": _safe_next(request, "")}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        email = form.cleaned_data["email"]
        minutes = _throttled(request, email)
        if minutes is not None:
            form.add_error(
                None, _("Too many codes asked. Please try again in %(minutes)d minutes.") % {"minutes": minutes}
            )
            return render(request, self.template_name, context, status=429)
        services.panel_code_send(email=email, request=request)
        request.session[SIGN_IN_EMAIL_SESSION_KEY] = email
        request.session.pop(INVITED_EMAIL_SESSION_KEY, None)
        query = urlencode({"next": context["next"]}) if context["next"] else ""
        return redirect(reverse("awards:panel_code") + (f"?{query}" if query else ""))


class PanelCodeView(View):
    """Step two: the code from the e-mail. A right code signs the member in, their second factor passed."""

    template_name = "awards/panel/code.html"

    def _context(self, request, form):
        return {
            "form": form,
            "email": request.session.get(SIGN_IN_EMAIL_SESSION_KEY, ""),
            "next": _safe_next(request, ""),
        }

    def get(self, request):
        if not request.session.get(SIGN_IN_EMAIL_SESSION_KEY):
            return redirect("awards:panel_sign_in")
        return render(request, self.template_name, self._context(request, PanelCodeForm()))

    def post(self, request):
        email = request.session.get(SIGN_IN_EMAIL_SESSION_KEY, "")
        if not email:
            return redirect("awards:panel_sign_in")
        if request.POST.get("action") == "resend":
            return self._resend(request, email)
        form = PanelCodeForm(request.POST)
        context = self._context(request, form)
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        until = services.panel_code_throttled_until(email=email)
        if until is not None:
            seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
            form.add_error(
                "code",
                ngettext(
                    "Too many wrong codes. Wait %(seconds)d second and try again.",
                    "Too many wrong codes. Wait %(seconds)d seconds and try again.",
                    seconds,
                )
                % {"seconds": seconds},
            )
            return render(request, self.template_name, context, status=429)
        result = services.panel_code_verify(email=email, code=form.cleaned_data["code"], request=request)
        if result is None:
            form.add_error("code", _("The code is wrong or no longer valid. Check it, or ask for a new code."))
            return render(request, self.template_name, context, status=400)
        user, device = result
        request.session.pop(SIGN_IN_EMAIL_SESSION_KEY, None)
        auth_login(request, user, backend="accounts.backends.EmailBackend")  # a fresh session key
        otp_login(request, device)
        return redirect(_safe_next(request, reverse("awards:panel_home")))

    def _resend(self, request, email):
        minutes = _throttled(request, email)
        if minutes is not None:
            messages.error(
                request, _("Too many codes asked. Please try again in %(minutes)d minutes.") % {"minutes": minutes}
            )
        elif services.panel_code_send(email=email, request=request):
            messages.success(request, _("A new code is on its way."))
        else:
            messages.info(
                request,
                _("If the address belongs to a panel member, a code is on its way. Wait a minute before asking again."),
            )
        return redirect(
            reverse("awards:panel_code")
            + (f"?{urlencode({'next': _safe_next(request, '')})}" if _safe_next(request, "") else "")
        )


# The member's pages -------------------------------------------------------------------------------------------


class PanelVerifiedMixin:
    """Signed in, and past the second factor (the e-mailed code); else to the code sign-in."""

    def dispatch(self, request, *args, **kwargs):
        is_verified = getattr(request.user, "is_verified", None)
        if not request.user.is_authenticated or is_verified is None or not is_verified():
            return redirect(f"{reverse('awards:panel_sign_in')}?{urlencode({'next': request.get_full_path()})}")
        self.check(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def check(self, request, **kwargs) -> None:
        """Look up the page's objects; Http404 for what the member may not see."""


class PanelCycleMixin(PanelVerifiedMixin):
    def check(self, request, **kwargs) -> None:
        self.cycle = get_object_or_404(panel_cycles(request.user), year=kwargs["year"])
        self.member = panel_member(request.user, self.cycle)


class PanelHomeView(PanelVerifiedMixin, TemplateView):
    template_name = "awards/panel/home.html"

    def check(self, request, **kwargs) -> None:
        if not PanelMembership.objects.filter(user=request.user).exists():
            raise Http404

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cycles"] = list(panel_cycles(self.request.user).order_by("-year"))
        context["memberships"] = list(
            PanelMembership.objects.filter(user=self.request.user).select_related("cycle__award")
        )
        return context


class PanelWorklistView(PanelCycleMixin, TemplateView):
    template_name = "awards/panel/worklist.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nominations = list(panel_worklist(self.request.user, self.cycle))
        context.update(
            cycle=self.cycle,
            member=self.member,
            nominations=nominations,
            done=sum(1 for n in nominations if n.own_state == PanelReview.State.SUBMITTED),
            open=self.cycle.is_jury_open(),
        )
        return context


class PanelReviewView(PanelCycleMixin, TemplateView):
    """A nomination in plain language, and the panel's own questions beside it (below it on a phone)."""

    template_name = "awards/panel/review.html"

    def _load(self):
        self.nomination = get_object_or_404(
            panel_nominations(self.request.user, self.cycle).select_related("panel_clearance", "organisation"),
            pk=self.kwargs["pk"],
        )
        self.questions = panel_questions(self.cycle)
        self.review = (
            PanelReview.objects.filter(member=self.member, nomination=self.nomination)
            .prefetch_related("answers")
            .first()
        )

    def _form(self, data=None):
        return PanelReviewForm(
            data,
            questions=self.questions,
            initial=PanelReviewForm.initial_for(self.review, self.questions),
            disabled=not self.cycle.is_jury_open(),
        )

    def get(self, request, *args, **kwargs):
        self._load()
        return self.render_to_response(self.get_context_data(form=self._form()))

    def post(self, request, *args, **kwargs):
        self._load()
        form = self._form(request.POST)
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                services.panel_review_save(
                    user=request.user,
                    nomination=self.nomination,
                    answers=form.answers(),
                    comment=form.cleaned_data["comment"],
                    submit=submit,
                    request=request,
                )
            except PermissionDenied as exc:
                raise Http404 from exc
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Thank you! Your answers are now with the jury.")
                    if submit
                    else _("Saved. You can continue later."),
                )
                return redirect("awards:panel_worklist", year=self.cycle.year)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clearance = self.nomination.panel_clearance
        reading = [
            (Nomination._meta.get_field(name).verbose_name, getattr(self.nomination, name))
            for name in PANEL_READING_FIELDS
            if getattr(self.nomination, name)
        ]
        context.update(
            cycle=self.cycle,
            member=self.member,
            nomination=self.nomination,
            clearance=clearance,
            reading=reading,
            attachments=cleared_attachments(self.nomination),
            review=self.review,
            open=self.cycle.is_jury_open(),
        )
        return context


class PanelAttachmentView(PanelCycleMixin, View):
    """A cleared attachment's cleaned copy; nothing else is ever served to the panel."""

    def get(self, request, *args, **kwargs):
        nomination = get_object_or_404(panel_nominations(request.user, self.cycle), pk=kwargs["pk"])
        attachment = cleared_attachment(request.user, nomination, kwargs["attachment_pk"])
        path = attachment_file(attachment, original=False) if attachment else None
        if path is None:
            raise Http404
        response = FileResponse(
            path.open("rb"), as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# Staff --------------------------------------------------------------------------------------------------------


class PanelManageView(StaffRequiredMixin, TemplateView):
    """Staff: the panel's members and pseudonyms, and which nominations the panel may read."""

    template_name = "awards/panel/manage.html"

    def dispatch(self, request, *args, **kwargs):
        self.cycle = get_object_or_404(AwardCycle.objects.select_related("award"), year=kwargs["year"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bound = kwargs.get("bound")
        members = list(PanelMembership.objects.filter(cycle=self.cycle).select_related("user").order_by("pseudonym"))
        for member in members:
            member.form = (
                bound
                if bound is not None and bound.instance.pk == member.pk
                else PseudonymForm(instance=member, prefix=f"m{member.pk}")
            )
        cleared = set(
            PanelClearance.objects.filter(nomination__cycle=self.cycle).values_list("nomination_id", flat=True)
        )
        nominations = list(
            Nomination.objects.filter(cycle=self.cycle, state=Nomination.State.SUBMITTED)
            .select_related("organisation")
            .order_by("reference", "pk")
        )
        reviews = dict(
            PanelReview.objects.filter(member__cycle=self.cycle, state=PanelReview.State.SUBMITTED)
            .values_list("nomination_id")
            .annotate(n=Count("pk"))
        )
        for nomination in nominations:
            nomination.panel_cleared = nomination.pk in cleared
            nomination.panel_answer_count = reviews.get(nomination.pk, 0)
        context.update(
            cycle=self.cycle, members=members, nominations=nominations, questions=panel_questions(self.cycle)
        )
        return context

    def post(self, request, *args, **kwargs):
        membership = get_object_or_404(PanelMembership, cycle=self.cycle, pk=request.POST.get("member"))
        if request.POST.get("action") == "remove":
            services.panel_member_remove(membership=membership, by=request.user, request=request)
            messages.success(
                request, _("%(pseudonym)s is no longer on the panel.") % {"pseudonym": membership.pseudonym}
            )
            return redirect("awards:panel_manage", year=self.cycle.year)
        form = PseudonymForm(
            request.POST, instance=PanelMembership.objects.get(pk=membership.pk), prefix=f"m{membership.pk}"
        )
        if form.is_valid():
            try:
                services.panel_member_rename(
                    membership=membership, pseudonym=form.cleaned_data["pseudonym"], by=request.user, request=request
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The pseudonym was saved."))
                return redirect("awards:panel_manage", year=self.cycle.year)
        return self.render_to_response(self.get_context_data(bound=form), status=400)


class PanelClearanceView(StaffRequiredMixin, TemplateView):
    """Staff: what of a nomination the panel may read: a plain-language summary, attachments, contact details."""

    template_name = "awards/panel/clearance.html"

    def dispatch(self, request, *args, **kwargs):
        self.nomination = get_object_or_404(
            Nomination.objects.select_related("cycle__award", "organisation"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clearance = PanelClearance.objects.filter(nomination=self.nomination).first()
        context.update(
            nomination=self.nomination,
            clearance=clearance,
            form=kwargs.get("form") or PanelClearanceForm(instance=clearance, nomination=self.nomination),
        )
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "remove":
            services.panel_clearance_remove(nomination=self.nomination, by=request.user, request=request)
            messages.success(request, _("The panel no longer sees this nomination."))
            return redirect("awards:panel_clearance", pk=self.nomination.pk)
        clearance = PanelClearance.objects.filter(nomination=self.nomination).first()
        form = PanelClearanceForm(request.POST, instance=clearance, nomination=self.nomination)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.panel_clearance_save(
                    nomination=self.nomination,
                    by=request.user,
                    plain_summary_fi=data["plain_summary_fi"],
                    plain_summary_sv=data["plain_summary_sv"],
                    plain_summary_en=data["plain_summary_en"],
                    show_contact=data["show_contact"],
                    attachments=data["attachments"],
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The panel can now read this nomination."))
                return redirect("awards:panel_manage", year=self.nomination.cycle.year)
        return self.render_to_response(self.get_context_data(form=form), status=400)
