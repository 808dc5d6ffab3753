"""Pages of proposals by anyone: the public form, the verification link, and staff's queue with its decisions."""

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts.audit import audit, client_ip
from accounts.throttling import PublicFormThrottle
from awards import exports
from awards.forms.proposals import (
    ProposalFilterForm,
    ProposalForm,
    ProposalInviteForm,
    ProposalMergeForm,
    ProposalRejectForm,
)
from awards.models import Proposal
from awards.selectors.proposals import possible_duplicates, proposal_queue
from awards.services import proposals as services

from .nominations import StaffRequiredMixin


class PerEmailThrottle(PublicFormThrottle):
    """The public form's limit per e-mail address (PublicFormThrottle limits per client address): the same
    history in the shared cache, keyed by a hash of the address."""

    def __init__(self, form_name: str, email: str):
        self.email_key = hashlib.sha256(email.encode()).hexdigest()[:32]
        super().__init__(form_name)

    def get_ident(self, request):
        return self.email_key


class ProposalCreateView(FormView):
    template_name = "awards/proposals/form.html"
    form_class = ProposalForm

    def form_valid(self, form):
        if form.is_trap_filled:  # a robot: it is thanked like a person, and nothing is stored
            return redirect("awards:proposal_sent")
        for throttle in (
            PublicFormThrottle("proposal"),
            PerEmailThrottle("proposal_email", form.cleaned_data["email"]),
        ):
            if not throttle.allow_request(self.request, None):
                audit("rate_limited", request=self.request, form="proposal")
                form.add_error(
                    None,
                    _("Too many proposals from your address. Please try again in %(minutes)d minutes.")
                    % {"minutes": throttle.minutes_to_wait()},
                )
                response = self.form_invalid(form)
                response.status_code = 429
                return response
        services.proposal_create(
            data=form.proposal_data(),
            municipalities=form.cleaned_data["municipalities"],
            language=translation.get_language()[:2],
            ip=client_ip(self.request),
            request=self.request,
        )
        return redirect("awards:proposal_sent")

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class ProposalSentView(TemplateView):
    template_name = "awards/proposals/sent.html"


class ProposalVerifyView(View):
    """The link in the e-mail: a page with a button, because mail scanners open links by themselves."""

    template_name = "awards/proposals/verify.html"

    def _invalid(self, request, reason):
        return render(request, "awards/proposals/link_invalid.html", {"reason": reason}, status=410)

    def get(self, request, token):
        try:
            proposal = services.proposal_for_token(token)
        except services.ProposalLinkError as error:
            return self._invalid(request, error.reason)
        return render(request, self.template_name, {"proposal": proposal})

    def post(self, request, token):
        try:
            proposal = services.proposal_verify(token=token, request=request)
        except services.ProposalLinkError as error:
            return self._invalid(request, error.reason)
        return render(request, "awards/proposals/verified.html", {"proposal": proposal})


class StaffProposalListView(StaffRequiredMixin, ListView):
    template_name = "awards/proposals/staff_list.html"
    context_object_name = "proposals"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = ProposalFilterForm(self.request.GET)
        state = self.filter_form.cleaned_data["state"] if self.filter_form.is_valid() else ""
        return proposal_queue(state)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["state_query"] = self.request.GET.get("state", "") if self.filter_form.is_valid() else ""
        return context


class StaffProposalExportView(StaffRequiredMixin, View):
    """The queue as CSV; texts that a spreadsheet would read as formulas are neutralised (awards/exports.py)."""

    def get(self, request):
        form = ProposalFilterForm(request.GET)
        state = form.cleaned_data["state"] if form.is_valid() else ""
        header = [
            _("Received"),
            _("State"),
            _("Proposer"),
            _("E-mail"),
            _("Practice"),
            _("Organisation"),
            _("Places"),
            _("What the practice is"),
            _("Why it deserves the prize"),
            _("Link"),
        ]
        rows = (
            [
                exports.safe_cell(p.created_at),
                p.get_state_display(),
                p.proposer_name,
                p.email,
                p.practice_name,
                p.organisation_name,
                p.places,
                p.description,
                p.reason,
                p.link,
            ]
            for p in proposal_queue(state).order_by("created_at", "pk")
        )
        response = HttpResponse(exports.csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="proposals-{stamp}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response


class StaffProposalDetailView(StaffRequiredMixin, TemplateView):
    """One proposal with its possible duplicates, and the decisions: release, merge, reject, invite."""

    template_name = "awards/proposals/staff_detail.html"
    ACTIONS = ("release", "merge", "reject", "invite")

    def get_proposal(self) -> Proposal:
        return get_object_or_404(
            Proposal.objects.exclude(state=Proposal.State.UNVERIFIED).select_related(
                "merged_into", "nomination", "organisation", "decided_by", "cycle"
            ),
            pk=self.kwargs["pk"],
        )

    def forms(self, proposal, bound=None, bound_name=None) -> dict:
        forms = {
            "merge": ProposalMergeForm(proposal=proposal),
            "reject": ProposalRejectForm(),
            "invite": ProposalInviteForm(initial={"language": proposal.language}),
        }
        if bound is not None:
            forms[bound_name] = bound
        return {f"{name}_form": form for name, form in forms.items()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal = kwargs.get("proposal") or self.get_proposal()
        context.update(
            proposal=proposal,
            duplicates=list(possible_duplicates(proposal)),
            municipalities=list(proposal.municipalities.all()),
            merged=list(proposal.merged.order_by("created_at")),
            **self.forms(proposal, kwargs.get("bound"), kwargs.get("bound_name")),
        )
        return context

    def post(self, request, *args, **kwargs):
        proposal = self.get_proposal()
        action = request.POST.get("action")
        if action not in self.ACTIONS:
            messages.error(request, _("Unknown action."))
            return redirect("awards:staff_proposal", pk=proposal.pk)
        form = {
            "release": None,
            "merge": lambda: ProposalMergeForm(request.POST, proposal=proposal),
            "reject": lambda: ProposalRejectForm(request.POST),
            "invite": lambda: ProposalInviteForm(request.POST),
        }[action]
        form = form() if form else None
        if form is None or form.is_valid():
            try:
                self._apply(action, proposal, form.cleaned_data if form else {})
            except ValidationError as error:
                if form is None:
                    messages.error(request, " ".join(error.messages))
                    return redirect("awards:staff_proposal", pk=proposal.pk)
                form.add_error(None, error)
            else:
                return redirect("awards:staff_proposal", pk=proposal.pk)
        context = self.get_context_data(proposal=proposal, bound=form, bound_name=action)
        return self.render_to_response(context, status=400)

    def _apply(self, action, proposal, data) -> None:
        by, request = self.request.user, self.request
        if action == "release":
            services.proposal_release(proposal=proposal, by=by, request=request)
            messages.success(request, _("The proposal is released into the queue."))
        elif action == "merge":
            services.proposal_merge(proposal=proposal, into=data["into"], by=by, request=request)
            messages.success(request, _("The proposals were merged; the proposer is told."))
        elif action == "reject":
            services.proposal_reject(proposal=proposal, reason=data["reason"], by=by, request=request)
            messages.success(request, _("The proposal was rejected; the proposer is told why."))
        else:
            services.proposal_invite(
                proposal=proposal,
                organisation=data["organisation"],
                email=data["email"],
                language=data["language"],
                by=by,
                request=request,
            )
            messages.success(
                request, _("The organisation is invited and a draft nomination was started; the proposer is told.")
            )
