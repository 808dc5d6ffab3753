"""The chair's and staff's pages of the jury's decision: the draft, confirming it, and staff reopening it.

Jury chairs of the cycle and staff record the decision. Everyone else gets 404 (the pages' existence is not
revealed); each action is re-checked in awards/services/decisions.py."""

import rules
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from awards.forms.decisions import DecisionFormSet, ReasonForm
from awards.models import AwardCycle, Decision, JuryMembership
from awards.selectors.decisions import decision_candidates, decision_problems
from awards.selectors.jury import jury_close_summary
from awards.services import decisions as services


def _error_messages(error: ValidationError) -> list[str]:
    return list(error.messages)


def formset_error_list(formset) -> list[dict]:
    """Every error of the decision's formset, each with the id of its field, for the summary at the top."""
    errors = [{"message": message, "field_id": ""} for message in formset.non_form_errors()]
    for nomination, form in zip(formset.nominations, formset.forms, strict=False):
        for name, messages_ in form.errors.items():
            field_id = form[name].auto_id if name in form.fields else ""
            errors.extend({"message": f"{nomination.name}: {message}", "field_id": field_id} for message in messages_)
    return errors


class CycleAccessMixin:
    """Signed in with a verified second factor, and allowed `rule` on the cycle of the URL; else 404."""

    rule = "publish_results"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (hasattr(user, "is_verified") and user.is_verified()):
            # Chairs and staff needing a second factor were sent to it by the middleware; others hold no role
            # here, and a sign-in redirect would only bounce them back (a redirect loop).
            raise Http404
        self.cycle = get_object_or_404(
            AwardCycle.objects.select_related("award").order_by("award_id"), year=kwargs["year"]
        )
        if not rules.test_rule(self.rule, user, self.cycle):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def decision(self) -> Decision | None:
        return Decision.objects.filter(cycle=self.cycle).first()


class DecisionView(CycleAccessMixin, View):
    """The chair or staff set each nomination's result and citations; saved as a draft, then confirmed."""

    rule = "record_decision"
    template_name = "awards/decisions/decision.html"

    def nominations(self):
        return list(decision_candidates(self.request.user, self.cycle).order_by("name", "pk"))

    def initial(self, nominations, decision):
        entries = {}
        if decision is not None:
            entries = {e.nomination_id: e for e in decision.entries.all()}
        rows = []
        for nomination in nominations:
            entry = entries.get(nomination.pk)
            rows.append(
                {
                    "nomination": nomination.pk,
                    "result": entry.result if entry else "",
                    "order": entry.order if entry else 0,
                    "citation_fi": entry.citation_fi if entry else "",
                    "citation_sv": entry.citation_sv if entry else "",
                    "citation_en": entry.citation_en if entry else "",
                    "panel_note": entry.panel_note if entry else "",
                }
            )
        return rows

    def render_page(self, formset, decision, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "cycle": self.cycle,
                "decision": decision,
                "formset": formset,
                "rows": list(zip(formset.nominations, formset.forms, strict=True)),
                "locked": decision is not None and decision.state == Decision.State.CONFIRMED,
                "problems": decision_problems(decision) if decision else [],
                "can_reopen": rules.test_rule("publish_results", self.request.user, self.cycle),
                "reopenings": decision.reopenings.select_related("reopened_by") if decision else [],
                "decision_states": services.DECISION_STATES,
                "jury_open": (jury_open := self.cycle.is_jury_open()),
                "close_summary": jury_close_summary(self.request.user, self.cycle) if jury_open else None,
                "can_view_ranking": rules.test_rule("view_ranking", self.request.user, self.cycle),
                "form_errors": formset_error_list(formset) if formset.is_bound else [],
            },
            status=status,
        )

    def get(self, request, year):
        decision = self.decision()
        nominations = self.nominations()
        formset = DecisionFormSet(initial=self.initial(nominations, decision), nominations=nominations)
        return self.render_page(formset, decision)

    def post(self, request, year):
        decision = self.decision()
        nominations = self.nominations()
        formset = DecisionFormSet(request.POST, nominations=nominations)
        if formset.is_valid():
            by_pk = {n.pk: n for n in nominations}
            entries = [
                services.EntryData(
                    nomination=by_pk[form.cleaned_data["nomination"]],
                    result=form.cleaned_data["result"],
                    citation_fi=form.cleaned_data["citation_fi"],
                    citation_sv=form.cleaned_data["citation_sv"],
                    citation_en=form.cleaned_data["citation_en"],
                    order=form.cleaned_data.get("order") or 0,
                    panel_note=form.cleaned_data.get("panel_note") or "",
                )
                for form in formset.forms
                if form.cleaned_data.get("result")
            ]
            try:
                services.decision_save(cycle=self.cycle, by=request.user, entries=entries, request=request)
            except ValidationError as error:
                for message in _error_messages(error):
                    messages.error(request, message)
            else:
                messages.success(request, _("The draft decision was saved."))
                return redirect("awards:decision", year=self.cycle.year)
        else:
            messages.error(request, _("The decision was not saved. Correct the points listed below and save again."))
        return self.render_page(formset, decision, status=400)


class DecisionConfirmView(CycleAccessMixin, View):
    rule = "record_decision"

    def post(self, request, year):
        decision = self.decision()
        if decision is None:
            messages.error(request, _("Save the decision before confirming it."))
            return redirect("awards:decision", year=year)
        try:
            services.decision_confirm(
                decision=decision, by=request.user, close_jury=request.POST.get("close_jury") == "1", request=request
            )
        except ValidationError as error:
            for message in _error_messages(error):
                messages.error(request, message)
        else:
            messages.success(request, _("The decision is confirmed and locked."))
        return redirect("awards:decision", year=year)


class DecisionReopenView(CycleAccessMixin, View):
    template_name = "awards/decisions/reopen.html"

    def get_decision(self):
        decision = self.decision()
        if decision is None or decision.state != Decision.State.CONFIRMED:
            raise Http404
        return decision

    def get(self, request, year):
        decision = self.get_decision()
        form = ReasonForm(submit_label=_("Reopen the decision"))
        return render(request, self.template_name, {"cycle": self.cycle, "decision": decision, "form": form})

    def post(self, request, year):
        decision = self.get_decision()
        form = ReasonForm(request.POST, submit_label=_("Reopen the decision"))
        if form.is_valid():
            try:
                services.decision_reopen(
                    decision=decision, by=request.user, reason=form.cleaned_data["reason"], request=request
                )
            except ValidationError as error:
                for message in _error_messages(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("The decision was reopened; it is a draft again."))
                return redirect("awards:decision", year=year)
        context = {"cycle": self.cycle, "decision": decision, "form": form}
        return render(request, self.template_name, context, status=400)


class DecisionIndexView(View):
    """Where staff and chairs start: the cycles whose decision or publication they handle, with their state."""

    template_name = "awards/decisions/index.html"

    def get(self, request):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (hasattr(user, "is_verified") and user.is_verified()):
            raise Http404
        cycles = AwardCycle.objects.select_related("award", "decision", "announcement").order_by("-year")
        if not user.is_staff:
            cycles = cycles.filter(jury__user=user, jury__role=JuryMembership.Role.CHAIR)
        now = timezone.now()
        rows = [
            {
                "cycle": cycle,
                "decision": getattr(cycle, "decision", None),
                "announcement": getattr(cycle, "announcement", None),
                "is_public": cycle.state == AwardCycle.State.PUBLISHED
                and cycle.results_published_at is not None
                and cycle.results_published_at <= now,
            }
            for cycle in cycles
        ]
        if not rows and not user.is_staff:
            raise Http404
        return render(request, self.template_name, {"rows": rows, "is_staff": user.is_staff})
