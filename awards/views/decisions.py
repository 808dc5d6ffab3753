"""The chair's and staff's pages of the decision and its publication.

Jury chairs of the cycle and staff record the decision; staff prepare the announcement, preview it, publish it
and see who was e-mailed. Everyone else gets 404 (the pages' existence is not revealed); each action is re-checked
in awards/services/publication.py."""

import rules
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from awards.forms.publication import (
    AnnouncementForm,
    AnnouncementImageForm,
    DecisionFormSet,
    PublishForm,
    ReasonForm,
)
from awards.models import (
    Announcement,
    AnnouncementImage,
    AwardCycle,
    Decision,
    DecisionEntry,
    JuryMembership,
    NotificationLog,
)
from awards.selectors import decision_candidates
from awards.services import publication as services
from awards.views.archive import render_year, year_bundle


def _error_messages(error: ValidationError) -> list[str]:
    return list(error.messages)


class CycleAccessMixin:
    """Signed in with a verified second factor, and allowed `rule` on the cycle of the URL; else 404."""

    rule = "publish_results"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated or not (hasattr(user, "is_verified") and user.is_verified()):
            return redirect_to_login(request.get_full_path())
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
                "problems": services.decision_problems(decision) if decision else [],
                "can_reopen": rules.test_rule("publish_results", self.request.user, self.cycle),
                "reopenings": decision.reopenings.select_related("reopened_by") if decision else [],
                "decision_states": services.DECISION_STATES,
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
        return self.render_page(formset, decision, status=400)


class DecisionConfirmView(CycleAccessMixin, View):
    rule = "record_decision"

    def post(self, request, year):
        decision = self.decision()
        if decision is None:
            messages.error(request, _("Save the decision before confirming it."))
            return redirect("awards:decision", year=year)
        try:
            services.decision_confirm(decision=decision, by=request.user, request=request)
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


class PublicationView(CycleAccessMixin, View):
    """Staff's desk of the announcement: texts, images, the nominees' consent, the checklist and publishing."""

    template_name = "awards/decisions/publication.html"

    def announcement(self) -> Announcement | None:
        return Announcement.objects.filter(cycle=self.cycle).first()

    def announcement_initial(self, announcement):
        cycle = self.cycle
        initial = {
            "announcement_on": cycle.announcement_on,
            "occasion_fi": cycle.occasion_fi,
            "occasion_sv": cycle.occasion_sv,
            "occasion_en": cycle.occasion_en,
        }
        if announcement is not None:
            for field in ("title_fi", "title_sv", "title_en", "text_fi", "text_sv", "text_en"):
                initial[field] = getattr(announcement, field)
        return initial

    def context(self, **forms):
        announcement = self.announcement()
        results = DecisionEntry.objects.filter(decision__cycle=self.cycle, nomination_id=OuterRef("pk"))
        nominees = (
            self.cycle.nominations.filter(state="submitted")
            .select_related("organisation")
            .annotate(has_result=Exists(results))
            .order_by("name", "pk")
        )
        context = {
            "cycle": self.cycle,
            "decision": self.decision(),
            "announcement": announcement,
            "images": list(announcement.images.all()) if announcement else [],
            "nominees": nominees,
            "problems": services.publication_problems(self.cycle),
            "is_public": AwardCycle.objects.results_public().filter(pk=self.cycle.pk).exists(),
            "notification_count": NotificationLog.objects.filter(cycle=self.cycle).count(),
            "announcement_form": AnnouncementForm(initial=self.announcement_initial(announcement)),
            "image_form": AnnouncementImageForm(),
            "publish_form": PublishForm(),
            "unpublish_form": ReasonForm(submit_label=_("Withdraw the publication")),
        }
        context.update(forms)
        year = self.cycle.year
        actions = {
            "announcement_form": reverse("awards:announcement_save", args=[year]),
            "image_form": reverse("awards:image_add", args=[year]),
            "publish_form": reverse("awards:publish", args=[year]),
            "unpublish_form": reverse("awards:unpublish", args=[year]),
        }
        for name, action in actions.items():
            context[name].helper.form_action = action
        return context

    def get(self, request, year):
        return render(request, self.template_name, self.context())


class AnnouncementSaveView(PublicationView):
    http_method_names = ["post"]  # actions of the publication page; GET shows that page, not these

    def post(self, request, year):
        form = AnnouncementForm(request.POST)
        if form.is_valid():
            try:
                services.announcement_save(cycle=self.cycle, by=request.user, request=request, **form.cleaned_data)
            except ValidationError as error:
                for message in _error_messages(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("The announcement was saved."))
                return redirect("awards:publication", year=year)
        return render(request, self.template_name, self.context(announcement_form=form), status=400)


class AnnouncementImageAddView(PublicationView):
    http_method_names = ["post"]  # actions of the publication page; GET shows that page, not these

    def post(self, request, year):
        form = AnnouncementImageForm(request.POST, request.FILES)
        announcement = self.announcement()
        if announcement is None:
            form.add_error(None, _("Write the announcement before adding images."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.announcement_image_add(
                    announcement=announcement,
                    by=request.user,
                    image=data["image"],
                    alt_fi=data["alt_fi"],
                    alt_sv=data["alt_sv"],
                    alt_en=data["alt_en"],
                    caption=data["caption"],
                    request=request,
                )
            except ValidationError as error:
                for message in _error_messages(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("The image was added."))
                return redirect("awards:publication", year=year)
        return render(request, self.template_name, self.context(image_form=form), status=400)


class AnnouncementImageRemoveView(PublicationView):
    http_method_names = ["post"]  # actions of the publication page; GET shows that page, not these

    def post(self, request, year, pk):
        image = get_object_or_404(AnnouncementImage, pk=pk, announcement__cycle=self.cycle)
        services.announcement_image_remove(image=image, by=request.user, request=request)
        messages.success(request, _("The image was removed."))
        return redirect("awards:publication", year=year)


class PublishView(PublicationView):
    http_method_names = ["post"]  # actions of the publication page; GET shows that page, not these

    def post(self, request, year):
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                services.cycle_publish(cycle=self.cycle, by=request.user, at=form.cleaned_data["at"], request=request)
            except ValidationError as error:
                for message in _error_messages(error):
                    form.add_error(None, message)
            else:
                if form.cleaned_data["at"]:
                    messages.success(request, _("The publication is scheduled."))
                else:
                    messages.success(request, _("The result is published and the nominators were e-mailed."))
                return redirect("awards:publication", year=year)
        return render(request, self.template_name, self.context(publish_form=form), status=400)


class UnpublishView(PublicationView):
    http_method_names = ["post"]  # actions of the publication page; GET shows that page, not these

    def post(self, request, year):
        form = ReasonForm(request.POST, submit_label=_("Withdraw the publication"))
        if form.is_valid():
            try:
                services.cycle_unpublish(
                    cycle=self.cycle, by=request.user, reason=form.cleaned_data["reason"], request=request
                )
            except ValidationError as error:
                for message in _error_messages(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("The publication was withdrawn."))
                return redirect("awards:publication", year=year)
        return render(request, self.template_name, self.context(unpublish_form=form), status=400)


class PreviewView(CycleAccessMixin, View):
    """The year's page exactly as the public will see it, before publication."""

    def get(self, request, year):
        cycle = AwardCycle.objects.select_related("award").get(pk=self.cycle.pk)
        return render_year(request, year_bundle(request, cycle, preview=True), preview=True)


class NotificationListView(CycleAccessMixin, View):
    template_name = "awards/decisions/notifications.html"

    def get(self, request, year):
        logs = NotificationLog.objects.filter(cycle=self.cycle).select_related("nomination", "recipient")
        return render(request, self.template_name, {"cycle": self.cycle, "logs": logs})


class DecisionIndexView(View):
    """Where staff and chairs start: the cycles whose decision or publication they handle, with their state."""

    template_name = "awards/decisions/index.html"

    def get(self, request):
        user = request.user
        if not user.is_authenticated or not (hasattr(user, "is_verified") and user.is_verified()):
            return redirect_to_login(request.get_full_path())
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
