"""Pages of the publication: the public year pages, the archive and its feed, and staff's desk of the announcement.

The public pages are whole-response cached for visitors who are not signed in (accounts/public_pages.py), keyed on
the public version that every change of a result bumps, so publishing or changing a result shows at once; browsers
and proxies revalidate with ETag and Last-Modified and get 304 Not Modified while nothing changed.

Staff prepare the announcement, preview it, publish it and see who was e-mailed; everyone else gets 404 there, and
each action is re-checked in awards/services/publication.py."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_safe

from accounts.audit import audit
from accounts.public_pages import mark_private, public_page
from awards.feeds import AnnouncementFeed
from awards.forms.decisions import ReasonForm
from awards.forms.publication import AnnouncementForm, AnnouncementImageForm, PublishForm
from awards.models import Announcement, AnnouncementImage, AwardCycle, DecisionEntry, NotificationLog
from awards.selectors.publication import (
    archive_cycles,
    email_counts,
    planned_result_emails,
    public_cycle,
    publication_problems,
    shown_when_published,
    year_page_context,
)
from awards.services import publication as services
from awards.views.decisions import CycleAccessMixin, _error_messages
from background import outbox
from background.models import Email


def year_bundle(request, cycle, *, preview: bool = False) -> dict:
    """The rendered content of a year's page and its share metadata."""
    context = year_page_context(cycle)
    context["preview"] = preview
    first = context["images"][0] if context["images"] else None
    return {
        "content": render_to_string("awards/archive/_year_content.html", context, request=None),
        "title": context["announcement"].title if context["announcement"] else "",
        "year": cycle.year,
        "award_name": cycle.award.name,
        "description": (context["announcement"].text if context["announcement"] else "")[:300],
        "image_url": first.image.url if first else "",
        "image_alt": first.alt if first else "",
    }


def render_year(request, bundle: dict, *, preview: bool = False):
    context = dict(bundle, content=mark_safe(bundle["content"]), preview=preview)  # noqa: S308 (our own render)
    return render(request, "awards/archive/year.html", context)


@public_page
@require_safe
def year_page(request, year: int):
    cycle = public_cycle(year)
    if cycle is None:
        raise Http404
    return render_year(request, year_bundle(request, cycle))


@public_page
@require_safe
def archive_page(request):
    content = render_to_string("awards/archive/_archive_content.html", {"cycles": archive_cycles()})
    return render(request, "awards/archive/archive.html", {"content": mark_safe(content)})  # noqa: S308


# The Atom feed: the same rule, revalidated by feed readers with ETag and Last-Modified.
feed = public_page(require_safe(AnnouncementFeed()))


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
            "problems": publication_problems(self.cycle),
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
    """Publishing is a confirmation page: what becomes public, how many e-mails go out by kind and language, and
    each e-mail as its recipients will get it; then the button (now, or at a scheduled moment)."""

    confirm_template = "awards/decisions/publish_confirm.html"

    def confirm_context(self, form) -> dict:
        planned = planned_result_emails(self.cycle)
        groups = email_counts(planned)
        for group in groups:
            sample = group["sample"]
            group["message"] = services.result_email(
                nomination=sample.nomination, entry=sample.entry, kind=sample.kind, user=sample.user
            )
            group["kind_label"] = NotificationLog.Kind(group["kind"]).label
            group["language_name"] = dict(settings.LANGUAGES).get(group["language"], group["language"])
        context = year_page_context(self.cycle)
        form.helper.form_action = reverse("awards:publish", args=[self.cycle.year])
        context.update(
            cycle=self.cycle,
            problems=publication_problems(self.cycle),
            is_public=AwardCycle.objects.results_public().filter(pk=self.cycle.pk).exists(),
            email_groups=groups,
            email_total=len(planned),
            new_public_practices=list(
                shown_when_published(self.cycle.nominations.all()).select_related("practice").order_by("name", "pk")
            ),
            publish_form=form,
        )
        return context

    def get(self, request, year):
        return render(request, self.confirm_template, self.confirm_context(PublishForm()))

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
                    messages.success(
                        request,
                        _(
                            "The result is published. The e-mails to the nominators are on their way; "
                            "see their delivery on the e-mails page."
                        ),
                    )
                return redirect("awards:publication", year=year)
        return render(request, self.confirm_template, self.confirm_context(form), status=400)


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
        # Not yet public: never kept by a browser or a proxy.
        return mark_private(render_year(request, year_bundle(request, cycle, preview=True), preview=True))


class NotificationListView(CycleAccessMixin, View):
    """Every e-mail of the cycle (results, confirmations, reminders) with its delivery state; a failed one can be
    sent again."""

    template_name = "awards/decisions/notifications.html"

    def get(self, request, year):
        emails = list(
            Email.objects.about(self.cycle)
            .select_related("recipient")
            .only(
                "purpose",
                "to",
                "language",
                "state",
                "attempts",
                "last_error",
                "created_at",
                "last_attempt_at",
                "sent_at",
                "next_attempt_at",
                "recipient__first_name",
                "recipient__last_name",
                "recipient__email",
            )
            .order_by("-created_at", "-pk")
        )
        counts = dict.fromkeys(Email.State.values, 0)
        for email in emails:
            counts[email.state] += 1
        context = {"cycle": self.cycle, "emails": emails, "counts": counts, "states": Email.State}
        return render(request, self.template_name, context)


class NotificationRetryView(CycleAccessMixin, View):
    http_method_names = ["post"]

    def post(self, request, year, pk):
        email = get_object_or_404(Email.objects.about(self.cycle), pk=pk)
        if email.state != Email.State.FAILED:
            messages.info(request, _("That e-mail is not failed; it needs no new try."))
        else:
            outbox.retry(email=email)
            audit("email.retried", actor=request.user, target=email, request=request, purpose=email.purpose)
            messages.success(request, _("The e-mail is queued again."))
        return redirect("awards:notifications", year=year)
