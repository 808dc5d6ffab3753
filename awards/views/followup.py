"""Pages of the follow-up of winners: the awarded organisation's answer through the e-mailed link, and staff's
list of follow-ups: who has not answered, reminders, and approving answers for the practice's public page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from awards.forms.followup import FollowUpAnswerForm, FollowUpFilterForm
from awards.models import FollowUp
from awards.selectors.followup import staff_follow_ups
from awards.services import followup as services

from .nominations import StaffRequiredMixin


class FollowUpAnswerView(View):
    template_name = "awards/followup/answer.html"

    def _invalid(self, request, reason):
        return render(request, "awards/followup/link_invalid.html", {"reason": reason}, status=410)

    def get(self, request, token):
        try:
            followup = services.followup_for_token(token)
        except services.FollowUpLinkError as error:
            return self._invalid(request, error.reason)
        return render(request, self.template_name, {"followup": followup, "form": FollowUpAnswerForm()})

    def post(self, request, token):
        try:
            followup = services.followup_for_token(token)
        except services.FollowUpLinkError as error:
            return self._invalid(request, error.reason)
        form = FollowUpAnswerForm(request.POST)
        if form.is_valid():
            try:
                services.followup_answer(token=token, data=form.cleaned_data, request=request)
            except services.FollowUpLinkError as error:
                return self._invalid(request, error.reason)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return render(request, "awards/followup/answered.html", {"followup": followup})
        return render(request, self.template_name, {"followup": followup, "form": form}, status=400)


class StaffFollowUpListView(StaffRequiredMixin, ListView):
    template_name = "awards/followup/staff_list.html"
    context_object_name = "follow_ups"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = FollowUpFilterForm(self.request.GET)
        state = self.filter_form.cleaned_data["state"] if self.filter_form.is_valid() else ""
        return staff_follow_ups(state)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["state_query"] = self.request.GET.get("state", "") if self.filter_form.is_valid() else ""
        return context


class StaffFollowUpActionView(StaffRequiredMixin, View):
    """POST: remind, approve or decline one follow-up."""

    def post(self, request, pk):
        followup = get_object_or_404(FollowUp, pk=pk)
        action = request.POST.get("action")
        try:
            if action == "remind":
                count = services.followup_remind(followup=followup, by=request.user, request=request)
                messages.success(request, _("The form was sent again to %(count)d people.") % {"count": count})
            elif action in {"approve", "decline"}:
                services.followup_decide(
                    followup=followup, approve=action == "approve", by=request.user, request=request
                )
                messages.success(
                    request,
                    _("The answer is now on the practice's page.")
                    if action == "approve"
                    else _("The answer is not published."),
                )
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("awards:staff_follow_ups")
