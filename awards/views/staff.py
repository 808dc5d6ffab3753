"""Staff pages: cycles and their state, copying last year's cycle, a cycle's nominations with filters,
eligibility, deadline extensions and the CSV/XLSX exports."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from awards import exports
from awards.forms.cycles import CycleCopyForm
from awards.forms.nominations import EligibilityForm, ExtensionForm
from awards.models import AwardCycle, Nomination
from awards.services import cycles as cycle_services
from awards.services import nominations as services
from practices.models import Municipality, Organisation, Region, WellbeingServicesCounty


class StaffRequiredMixin(PermissionRequiredMixin):
    permission_required = "awards.manage_cycle"


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
        return context


class CycleTransitionView(StaffRequiredMixin, View):
    def post(self, request, pk):
        cycle = get_object_or_404(AwardCycle, pk=pk)
        try:
            cycle = cycle_services.cycle_transition(
                cycle=cycle,
                to_state=request.POST.get("to_state", ""),
                expected_state=request.POST.get("from_state") or None,
                by=request.user,
                request=request,
            )
        except (ValidationError, ValueError) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else _("Unknown state.")
            messages.error(request, text)
        else:
            messages.success(request, _("The cycle is now “%(state)s”.") % {"state": cycle.get_state_display()})
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


def filtered_nominations(cycle, params):
    """A cycle's nominations narrowed by the staff list's filters (state, region, county, organisation type).
    Region and county match the practice's municipalities and counties or the nominating organisation's."""
    queryset = Nomination.objects.filter(cycle=cycle)
    state = params.get("state")
    if state in Nomination.State.values:
        queryset = queryset.filter(state=state)
    eligibility = params.get("eligibility")
    if eligibility in Nomination.Eligibility.values:
        queryset = queryset.filter(eligibility=eligibility)
    kind = params.get("kind")
    if kind in Organisation.Kind.values:
        queryset = queryset.filter(organisation__kind=kind)
    region = params.get("region")
    if region:
        in_region = Municipality.objects.filter(region_id=region)
        queryset = queryset.filter(
            Exists(
                Nomination.municipalities.through.objects.filter(
                    nomination_id=OuterRef("pk"), municipality__in=in_region
                )
            )
            | Exists(
                Organisation.municipalities.through.objects.filter(
                    organisation_id=OuterRef("organisation_id"), municipality__in=in_region
                )
            )
        )
    county = params.get("county")
    if county:
        queryset = queryset.filter(
            Exists(
                Nomination.counties.through.objects.filter(
                    nomination_id=OuterRef("pk"), wellbeingservicescounty_id=county
                )
            )
            | Exists(
                Nomination.municipalities.through.objects.filter(
                    nomination_id=OuterRef("pk"), municipality__county_id=county
                )
            )
            | Exists(
                Organisation.counties.through.objects.filter(
                    organisation_id=OuterRef("organisation_id"), wellbeingservicescounty_id=county
                )
            )
        )
    return queryset


class CycleNominationsMixin(StaffRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        self.cycle = get_object_or_404(AwardCycle.objects.select_related("award"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def nominations(self):
        return filtered_nominations(self.cycle, self.request.GET)


class StaffNominationListView(CycleNominationsMixin, ListView):
    template_name = "awards/staff/nomination_list.html"
    context_object_name = "nominations"
    paginate_by = 100

    def get_queryset(self):
        return self.nominations().select_related("organisation").order_by("reference", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            cycle=self.cycle,
            filters=self.request.GET,
            querystring=query.urlencode(),
            states=Nomination.State.choices,
            eligibilities=Nomination.Eligibility.choices,
            kinds=Organisation.Kind.choices,
            regions=Region.objects.order_by("name_fi"),
            counties=WellbeingServicesCounty.objects.order_by("name_fi"),
        )
        return context


class StaffNominationExportView(CycleNominationsMixin, View):
    formats = {
        "csv": ("text/csv; charset=utf-8", exports.to_csv),
        "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
    }

    def get(self, request, pk, fmt):
        content_type, render = self.formats[fmt]
        queryset = self.nominations().order_by("reference", "pk")
        content = render(queryset, list(self.cycle.criteria.all()))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="nominations-{self.cycle.year}-{stamp}.{fmt}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class StaffNominationDetailView(StaffRequiredMixin, TemplateView):
    template_name = "awards/staff/nomination_detail.html"

    def get_nomination(self):
        return get_object_or_404(
            Nomination.objects.visible_to(self.request.user).select_related("cycle__award", "organisation", "practice"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nomination = kwargs.get("nomination") or self.get_nomination()
        context.update(
            nomination=nomination,
            deadline=services.nomination_deadline(nomination),
            extensions=nomination.extensions.select_related("granted_by"),
            justifications=nomination.justifications.select_related("criterion"),
            attachments=nomination.attachments.all(),
            municipalities=nomination.municipalities.all(),
            counties=nomination.counties.all(),
            practice_organisations=nomination.practice_organisations.all(),
            eligibility_form=kwargs.get("eligibility_form")
            or EligibilityForm(
                initial={"eligibility": nomination.eligibility, "reason": nomination.eligibility_reason}
            ),
            extension_form=kwargs.get("extension_form") or ExtensionForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        nomination = self.get_nomination()
        action = request.POST.get("action")
        if action == "eligibility":
            form = EligibilityForm(request.POST)
            return self._run(
                nomination,
                form,
                "eligibility_form",
                _("The eligibility was saved."),
                lambda data: services.nomination_set_eligibility(
                    nomination=nomination,
                    eligibility=data["eligibility"],
                    reason=data["reason"],
                    by=request.user,
                    request=request,
                ),
            )
        if action == "extension":
            form = ExtensionForm(request.POST)
            return self._run(
                nomination,
                form,
                "extension_form",
                _("The deadline extension was granted."),
                lambda data: services.nomination_grant_extension(
                    nomination=nomination,
                    until=data["until"],
                    reason=data["reason"],
                    by=request.user,
                    request=request,
                ),
            )
        messages.error(request, _("Unknown action."))
        return redirect("awards:staff_nomination", pk=nomination.pk)

    def _run(self, nomination, form, form_name: str, success: str, service):
        """Validate the form, call the service with its data; on any error show the page again with the form."""
        if form.is_valid():
            try:
                service(form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(self.request, success)
                return redirect("awards:staff_nomination", pk=nomination.pk)
        return self.render_to_response(self.get_context_data(nomination=nomination, **{form_name: form}), status=400)
