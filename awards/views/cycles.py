"""Pages of the award cycles: the public page about the prize, and staff's list of cycles, a cycle's state and
copying last year's cycle."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from accounts.permissions import RuleRequiredMixin
from accounts.public_pages import public_page
from awards.forms.cycles import CycleCopyForm
from awards.models import Award, AwardCycle, Nomination
from awards.selectors.nominations import running_extensions
from awards.services import cycles as cycle_services


@method_decorator(public_page, name="dispatch")
class AboutView(TemplateView):
    template_name = "awards/about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["award"] = Award.objects.order_by("pk").first()
        context["open_cycle"] = AwardCycle.objects.open_for_nominations().order_by("-year").first()
        return context


class StaffRequiredMixin(RuleRequiredMixin):
    rule = "manage_cycle"


class CycleListView(StaffRequiredMixin, ListView):
    template_name = "awards/staff/cycle_list.html"
    context_object_name = "cycles"

    def get_queryset(self):
        return (
            AwardCycle.objects.select_related("award")
            .annotate(
                nomination_count=Count("nominations", filter=Q(nominations__state=Nomination.State.SUBMITTED)),
                draft_count=Count("nominations", filter=Q(nominations__state=Nomination.State.DRAFT)),
            )
            .order_by("-year")
        )


class CycleDetailView(StaffRequiredMixin, DetailView):
    template_name = "awards/staff/cycle_detail.html"
    context_object_name = "cycle"

    def get_queryset(self):
        return AwardCycle.objects.select_related("award").prefetch_related("criteria")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle = self.object
        context["transitions"] = [
            (state, AwardCycle.State(state).label) for state in cycle_services.allowed_transitions(cycle)
        ]
        context["copy_form"] = kwargs.get("copy_form") or CycleCopyForm(initial={"year": cycle.year + 1})
        counts = dict(
            cycle.nominations.values_list("state").annotate(n=Count("pk")).order_by().values_list("state", "n")
        )
        context["counts"] = [(label, counts.get(value, 0)) for value, label in Nomination.State.choices]
        context["running_extensions"] = list(running_extensions(cycle))
        context["ends_extensions"] = sorted(cycle_services.ENDS_EXTENSIONS)
        return context


class CycleTransitionView(StaffRequiredMixin, View):
    def post(self, request, pk):
        cycle = get_object_or_404(AwardCycle, pk=pk)
        try:
            cycle = cycle_services.cycle_transition(
                cycle=cycle,
                to_state=request.POST.get("to_state", ""),
                expected_state=request.POST.get("from_state") or None,
                end_running_extensions=request.POST.get("end_running_extensions") == "1",
                by=request.user,
                request=request,
            )
        except (ValidationError, ValueError) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else _("Unknown state.")
            messages.error(request, text)
        else:
            messages.success(request, _("The cycle is now “%(state)s”.") % {"state": cycle.get_state_display()})
            running = running_extensions(cycle).count() if cycle.state == AwardCycle.State.CLOSED else 0
            if running:
                messages.info(
                    request,
                    ngettext(
                        "%(count)d nomination has a deadline extension still running: it can be changed and "
                        "submitted until its extension ends.",
                        "%(count)d nominations have a deadline extension still running: they can be changed and "
                        "submitted until their extensions end.",
                        running,
                    )
                    % {"count": running},
                )
        return redirect("awards:staff_cycle", pk=pk)


class CycleCopyView(StaffRequiredMixin, View):
    def post(self, request, pk):
        source = get_object_or_404(AwardCycle, pk=pk)
        form = CycleCopyForm(request.POST)
        if form.is_valid():
            try:
                new = cycle_services.cycle_copy(
                    source=source, year=form.cleaned_data["year"], by=request.user, request=request
                )
            except ValidationError as exc:
                form.add_error("year", exc)
            else:
                messages.success(
                    request,
                    _("The cycle %(year)s was created as a draft with the texts and criteria of %(source)s.")
                    % {"year": new.year, "source": source.year},
                )
                return redirect("awards:staff_cycle", pk=new.pk)
        view = CycleDetailView()
        view.setup(request, pk=pk)
        view.object = source
        response = view.render_to_response(view.get_context_data(object=source, copy_form=form))
        response.status_code = 400
        return response
