"""Pages of nominations: the public call; the nominators' pages for starting, editing, submitting, reopening and
withdrawing a nomination, attachments (download through a permission check) and the printable PDF; and staff's
pages of a cycle's nominations with filters, eligibility, deadline extensions and the CSV/XLSX exports."""

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from accounts import services as account_services
from accounts.permissions import RuleRequiredMixin
from accounts.public_pages import public_page
from awards import drafts, exports, files
from awards.forms.nominations import EligibilityForm, ExtensionForm, NominationForm, NominationStartForm
from awards.forms.safeguard import SafeguardClearForm, SafeguardReasonForm, show_findings_in_form
from awards.models import Attachment, Award, AwardCycle, Nomination
from awards.pdf import nomination_pdf
from awards.selectors.decisions import eligibility_effects
from awards.selectors.jury import jury_reading
from awards.selectors.nominations import (
    filtered_nominations,
    nominating_organisations,
    nomination_deadline,
    nomination_is_changeable,
    nomination_missing_parts,
    nominations_editable_by,
    nominations_on_nominator_pages,
    nominations_visible_to,
)
from awards.selectors.publication import public_practices, withhold_descriptions
from awards.selectors.safeguard import attachment_file, nomination_findings, safeguard_of, sees_original
from awards.services import nominations as services
from practices.localisation import by_name
from practices.models import Organisation, Practice, Region, WellbeingServicesCounty
from practices.search.query import search_query

# The query parameter of the edit page that applies a save kept while the session had ended (awards/drafts.py).
RESUME = "jatka"
FIELD_LABELS_EXTRA = {"attachments": gettext_lazy("Attachments"), "state": gettext_lazy("State")}


@method_decorator(public_page, name="dispatch")
class CallView(TemplateView):
    """The public call for nominations of the open cycle."""

    template_name = "awards/call.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle = (
            AwardCycle.objects.open_for_nominations()
            .select_related("award")
            .prefetch_related("criteria")
            .order_by("-year")
            .first()
        )
        context["cycle"] = cycle
        context["award"] = cycle.award if cycle else Award.objects.order_by("pk").first()
        user = self.request.user
        context["can_nominate"] = bool(user.is_authenticated and nominating_organisations(user).exists())
        return context


class NominationListView(LoginRequiredMixin, ListView):
    """The nominator's own organisations' nominations, of every year."""

    template_name = "awards/nominations/list.html"
    context_object_name = "nominations"

    def get_queryset(self):
        return (
            nominations_editable_by(self.request.user)
            .select_related("cycle__award", "organisation")
            .order_by("-cycle__year", "-updated_at", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["open_cycle"] = AwardCycle.objects.open_for_nominations().order_by("-year").first()
        context["can_nominate"] = nominating_organisations(self.request.user).exists()
        if not context["can_nominate"]:
            # Someone without nominating rights yet: an address at an organisation's own domain gets them at once.
            context["domain_organisation"] = account_services.domain_organisation(self.request.user.email)
        return context


def _practice_choices(user):
    """Practices a nominator may pick: those public in the library and their own organisations' practices.
    Other organisations' unpublished practices (e.g. created by their drafts) stay hidden. Each carries
    `description_public`: whether this nominator may read its description (their own, or public by consent)."""
    own = Practice.objects.filter(organisations__in=nominating_organisations(user)).values("pk")
    public = public_practices()
    readable = Q(pk__in=own) | Q(pk__in=public.filter(description_public=True).values("pk"))
    return Practice.objects.filter(Q(pk__in=public.values("pk")) | Q(pk__in=own)).annotate(
        description_public=ExpressionWrapper(readable, output_field=BooleanField())
    )


class NominationStartView(LoginRequiredMixin, TemplateView):
    template_name = "awards/nominations/start.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.cycle = AwardCycle.objects.open_for_nominations().order_by("-year").first()
        self.organisations = nominating_organisations(request.user)
        return super().dispatch(request, *args, **kwargs)

    def search_results(self):
        # PostgreSQL refuses NUL characters in text: they are dropped, as are other control characters.
        query = "".join(ch for ch in (self.request.GET.get("q") or "") if ch.isprintable()).strip()[:100]
        if not query:
            return query, []
        # The library's analysis (base forms, compound parts, names of places): the same words find the same practices.
        # A description one may not read is not searched either.
        analysed = search_query(query)
        matches = Q(name__icontains=query) | (
            Q(description_public=True, search_vector=analysed) if analysed is not None else Q(pk__isnull=True)
        )
        found = _practice_choices(self.request.user).filter(matches).order_by("name")[:20]
        return query, withhold_descriptions(list(found))

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        query, results = self.search_results()
        context.update(
            cycle=self.cycle,
            organisations=self.organisations,
            query=query,
            results=results,
            form=form
            or NominationStartForm(organisations=self.organisations, practices=_practice_choices(self.request.user)),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = NominationStartForm(
            request.POST, organisations=self.organisations, practices=_practice_choices(request.user)
        )
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        if self.cycle is None:
            messages.error(request, _("No award cycle is open for nominations right now."))
            return redirect("awards:nomination_list")
        try:
            nomination = services.nomination_start(
                cycle=self.cycle,
                organisation=form.cleaned_data["organisation"],
                practice=form.cleaned_data.get("practice_obj"),
                practice_name=form.cleaned_data.get("practice_name") or "",
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("The nomination has been started as a draft. It is saved when you press Save."))
        return redirect("awards:nomination_edit", pk=nomination.pk)


class NominationDetailView(LoginRequiredMixin, DetailView):
    """A nomination as its nominators and staff read it (contact details included); not the jury's view."""

    template_name = "awards/nominations/detail.html"
    context_object_name = "nomination"

    def get_queryset(self):
        return nominations_on_nominator_pages(self.request.user).select_related(
            "cycle__award", "organisation", "practice"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nomination = self.object
        is_nominator = nominations_editable_by(self.request.user).filter(pk=nomination.pk).exists()
        context.update(
            is_nominator=is_nominator,
            changeable=is_nominator and nomination_is_changeable(nomination),
            deadline=nomination_deadline(nomination),
            missing=nomination_missing_parts(nomination) if nomination.state == Nomination.State.DRAFT else [],
            justifications=nomination.justifications.select_related("criterion"),
            attachments=nomination.attachments.all(),
            municipalities=nomination.municipalities.all(),
            counties=nomination.counties.all(),
            practice_organisations=nomination.practice_organisations.all(),
        )
        return context


class NominatorObjectMixin(LoginRequiredMixin):
    """Looks the nomination up among the user's organisations' nominations: anything else is a 404."""

    def get_nomination(self) -> Nomination:
        return get_object_or_404(
            nominations_editable_by(self.request.user).select_related("cycle__award", "organisation"),
            pk=self.kwargs["pk"],
        )


class NominationEditView(NominatorObjectMixin, TemplateView):
    template_name = "awards/nominations/edit.html"

    def build_form(self, nomination, data=None, files_=None):
        criteria = nomination.cycle.criteria.all()
        texts = dict(nomination.justifications.values_list("criterion_id", "text"))
        # A copy: validating a ModelForm writes the typed values onto its instance, and the page still needs
        # the stored ones (the checklist, the diff).
        return NominationForm(data, files_, instance=copy.copy(nomination), criteria=criteria, justifications=texts)

    def context(self, nomination, form, stale=None, status=200, reason_form=None):
        attachments = list(nomination.attachments.all())
        # The child-data safeguard: what looks like personal data, shown under its field and above the form.
        findings = nomination_findings(nomination)
        show_findings_in_form(form, findings)
        context = self.get_context_data(
            findings=findings,
            reason_form=reason_form or SafeguardReasonForm(),
            nomination=nomination,
            form=form,
            stale=stale,
            missing=nomination_missing_parts(nomination),
            deadline=nomination_deadline(nomination),
            attachments=attachments,
            attachment_slots=files.MAX_ATTACHMENTS - len(attachments),
            max_attachments=files.MAX_ATTACHMENTS,
            draft_owner=drafts.owner_token(user=self.request.user, nomination=nomination),
            session_seconds=settings.SESSION_COOKIE_AGE,
        )
        return self.render_to_response(context, status=status)

    def _stale_context(self, stale: services.StaleEdit, form: NominationForm) -> dict:
        current = stale.current
        texts = dict(current.justifications.values_list("criterion_id", "text"))
        rows = []
        for field in stale.changed_fields:
            if field.startswith("criterion_"):
                criterion_id = int(field.removeprefix("criterion_"))
                theirs = texts.get(criterion_id, "")
            elif field in form.fields and field in {f.name for f in Nomination._meta.concrete_fields}:
                theirs = getattr(current, field)
            elif field in form.fields:
                theirs = ", ".join(str(obj) for obj in getattr(current, field).all())
            else:
                theirs = None
            label = form.fields[field].label if field in form.fields else FIELD_LABELS_EXTRA.get(field, field)
            yours = (
                form.data.getlist(field)
                if field in {"practice_organisations", "municipalities", "counties"}
                else form.data.get(field, "")
            )
            if isinstance(yours, list):
                yours = ", ".join(
                    str(obj) for obj in form.fields[field].queryset.filter(pk__in=[v for v in yours if v.isdigit()])
                )
            rows.append({"label": label, "theirs": theirs, "yours": yours})
        return {"rows": rows, "people": stale.changed_by, "version": current.version}

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            return self._keep_for_after_sign_in(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def _keep_for_after_sign_in(self, request, pk: int):
        """The session has ended while the form was open: keep the save (awards/drafts.py), then sign in."""
        kept = drafts.keep(request, pk, had_files=bool(request.FILES))
        resume = reverse("awards:nomination_edit", args=[pk]) + "?" + urlencode({RESUME: "1"})
        login_url = f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': resume})}"
        if request.headers.get("X-Autosave") == "1":
            message = (
                _("Your session has ended. Your text is kept in this browser: sign in again to save it.")
                if kept
                else _("Your session has ended. Sign in again; copy your text first.")
            )
            return JsonResponse(
                {"signed_out": True, "kept": kept, "message": message, "login_url": login_url}, status=403
            )
        if kept:
            messages.warning(
                request,
                _("Your session had ended, so nothing was saved yet. Your text is kept: sign in and it is saved."),
            )
        return redirect(login_url)

    def get(self, request, *args, **kwargs):
        nomination = self.get_nomination()
        if request.GET.get(RESUME) and drafts.has_kept(request, nomination.pk):
            return self._resume(nomination)
        if nomination.state != Nomination.State.DRAFT or not nomination_is_changeable(nomination):
            return redirect("awards:nomination_detail", pk=nomination.pk)
        return self.context(nomination, self.build_form(nomination))

    def _resume(self, nomination):
        """Apply the save kept while the session had ended, as if it had just been sent (the same checks)."""
        try:
            kept = drafts.take(self.request, nomination.pk)
        except drafts.NotYours:
            messages.error(
                self.request,
                _("A save made in this browser by another account was not applied, and it has been discarded."),
            )
            return redirect("awards:nomination_edit", pk=nomination.pk)
        if kept is None:
            return redirect("awards:nomination_edit", pk=nomination.pk)
        data = QueryDict(mutable=True)
        for key, values in kept.data.items():
            data.setlist(key, values)
        if kept.had_files:
            messages.warning(
                self.request, _("Attachments chosen before the sign-in could not be kept: add them again.")
            )
        return self._save(nomination, data, None, resumed=True)

    def post(self, request, *args, **kwargs):
        nomination = self.get_nomination()
        if request.headers.get("X-Autosave") == "1":
            return self._autosave(nomination)
        return self._save(nomination, request.POST, request.FILES)

    def _autosave(self, nomination):
        """The page's automatic save of the draft (static/js/draft-autosave.js): text only, never files or the
        submission; JSON for the script. A change by someone else stops it (the button then shows both)."""
        form = self.build_form(nomination, self.request.POST)
        form.is_valid()
        data, relations, texts = form.valid_values()
        version = form.cleaned_data.get("version") if hasattr(form, "cleaned_data") else None
        try:
            nomination = services.nomination_save(
                nomination=nomination,
                by=self.request.user,
                expected_version=version if version is not None else -1,
                data=data,
                relations=relations,
                justifications=texts,
                request=self.request,
            )
        except services.StaleEdit:
            message = _("Someone else saved this nomination meanwhile. Save with the button to compare the versions.")
            return JsonResponse({"message": message, "stale": True}, status=409)
        except ValidationError as exc:
            return JsonResponse({"message": " ".join(exc.messages), "stopped": True}, status=400)
        saved_at = formats.time_format(timezone.localtime(nomination.updated_at), "TIME_FORMAT")
        message = _("Draft saved automatically at %(time)s.") % {"time": saved_at}
        invalid = [str(form.fields[name].label) for name in form.errors if name in form.fields]
        if invalid:
            message += " " + _("Not saved, to be corrected: %(fields)s.") % {
                "fields": ", ".join(strip_tags(n) for n in invalid)
            }
        return JsonResponse({"version": nomination.version, "message": message, "invalid": bool(invalid)})

    def _save(self, nomination, post, uploads, *, resumed: bool = False):
        request = self.request
        form = self.build_form(nomination, post, uploads)
        form.is_valid()  # collects per-field errors; whatever is valid is saved regardless
        data, relations, texts = form.valid_values()
        version = form.cleaned_data.get("version") if hasattr(form, "cleaned_data") else None
        if version is None:
            # Not someone else's save: the form itself came back without its version (or a garbled one).
            messages.error(
                request,
                _(
                    "A hidden part of the form was missing or damaged, so nothing was saved. Your text is still in "
                    "the form below: saving again stores it over the saved version."
                ),
            )
            return self.context(nomination, self._fresh_bound_form(nomination, form), status=400)
        try:
            nomination = services.nomination_save(
                nomination=nomination,
                by=request.user,
                expected_version=version,
                data=data,
                relations=relations,
                justifications=texts,
                request=request,
            )
        except services.StaleEdit as stale:
            # Keep everything typed; the next save is based on the current version and so overwrites knowingly.
            # The diff is read before a new form binds to (and so alters) the current instance.
            stale_context = self._stale_context(stale, form)
            post = post.copy()
            post["version"] = str(stale.current.version)
            current = self.get_nomination()
            form = self.build_form(current, post)
            form.is_valid()
            messages.error(
                request,
                _(
                    "Someone else saved this nomination while you were editing it. Nothing of yours was saved yet. "
                    "Compare the changes below; your text is still in the form. Save again to replace their version "
                    "with yours."
                ),
            )
            return self.context(current, form, stale=stale_context, status=409)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            if resumed:
                messages.error(request, _("Your text from before the sign-in is shown below; it was not saved."))
            return self.context(self.get_nomination(), form, status=400)
        self._store_attachments(nomination, form)
        nomination = self.get_nomination()
        if form.errors:
            messages.warning(
                request,
                _("Your changes were saved, except the fields marked below. Correct them and save again."),
            )
            form = self._fresh_bound_form(nomination, form)
            return self.context(nomination, form, status=400)
        if resumed:
            messages.success(request, _("Your changes from before the sign-in are saved."))
        if post.get("action") == "submit":
            # Before submitting, the whole nomination as the jury will read it, with the deadline and what follows.
            return redirect("awards:nomination_submit", pk=nomination.pk)
        if not resumed:
            messages.success(request, _("Saved."))
        return redirect("awards:nomination_edit", pk=nomination.pk)

    def _fresh_bound_form(self, nomination, form):
        """The same typed data and errors, with the new version so the next save is not refused as stale."""
        post = form.data.copy()
        post["version"] = str(nomination.version)
        errors = form.errors
        fresh = self.build_form(nomination, post)
        fresh.is_valid()
        for field, field_errors in errors.items():
            if field == "new_attachments":
                for error in field_errors:
                    fresh.add_error(field, error)
        return fresh

    def _store_attachments(self, nomination, form):
        # Only the files that passed the form's checks: the others' errors are already shown, once.
        for upload in form.valid_uploads:
            try:
                services.attachment_add(
                    nomination=nomination, upload=upload, by=self.request.user, request=self.request
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("new_attachments", message)


def _submitted_message(request, result):
    if result.newly_submitted:
        messages.success(
            request,
            _(
                "The nomination has been submitted. Its reference number is %(reference)s; "
                "a confirmation is on its way by e-mail."
            )
            % {"reference": result.nomination.reference},
        )
    else:
        messages.info(request, _("The nomination had already been submitted."))


def jury_reading_context(nomination) -> dict:
    """The parts of a nomination the jury reads (jury_reading), with the criteria's justifications beside them."""
    texts = dict(nomination.justifications.values_list("criterion_id", "text"))
    return {
        **jury_reading(nomination),
        "criteria_texts": [(criterion, texts.get(criterion.pk, "")) for criterion in nomination.cycle.criteria.all()],
    }


class NominationSubmitView(NominatorObjectMixin, TemplateView):
    """Before submitting: the whole nomination as the jury will read it, the deadline and what happens next;
    then the button. POST submits."""

    template_name = "awards/nominations/submit.html"

    def page(self, nomination, reason_form=None, status=200):
        context = self.get_context_data(
            nomination=nomination,
            cycle=nomination.cycle,
            deadline=nomination_deadline(nomination),
            changeable=nomination_is_changeable(nomination),
            missing=nomination_missing_parts(nomination),
            # The child-data safeguard: what looks like personal data, and (if any) why it must stay.
            findings=nomination_findings(nomination),
            reason_form=reason_form or SafeguardReasonForm(),
            **jury_reading_context(nomination),
        )
        response = self.render_to_response(context)
        response.status_code = status
        return response

    def get(self, request, *args, **kwargs):
        nomination = self.get_nomination()
        if nomination.state != Nomination.State.DRAFT:
            return redirect("awards:nomination_detail", pk=nomination.pk)
        return self.page(nomination)

    def post(self, request, *args, **kwargs):
        nomination = self.get_nomination()
        reason_form = SafeguardReasonForm(request.POST)
        reason = reason_form.cleaned_data["safeguard_reason"] if reason_form.is_valid() else ""
        try:
            result = services.nomination_submit(
                nomination=nomination, by=request.user, safeguard_reason=reason, request=request
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            if getattr(exc, "code", None) == "personal_data" or reason_form.errors:
                # Shown again at once, with the reason as typed.
                return self.page(self.get_nomination(), reason_form=reason_form, status=400)
            return redirect("awards:nomination_detail", pk=nomination.pk)
        _submitted_message(request, result)
        return redirect("awards:nomination_detail", pk=nomination.pk)


class NominationReopenView(NominatorObjectMixin, View):
    def post(self, request, *args, **kwargs):
        nomination = self.get_nomination()
        try:
            services.nomination_reopen(nomination=nomination, by=request.user, request=request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("awards:nomination_detail", pk=nomination.pk)
        messages.warning(
            request,
            _("The nomination is a draft again. Remember to submit it again before the deadline."),
        )
        return redirect("awards:nomination_edit", pk=nomination.pk)


class NominationWithdrawView(NominatorObjectMixin, TemplateView):
    template_name = "awards/nominations/withdraw.html"

    def get(self, request, *args, **kwargs):
        nomination = self.get_nomination()
        return self.render_to_response(self.get_context_data(nomination=nomination))

    def post(self, request, *args, **kwargs):
        nomination = self.get_nomination()
        try:
            services.nomination_withdraw(nomination=nomination, by=request.user, request=request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("awards:nomination_detail", pk=nomination.pk)
        messages.success(request, _("The nomination has been withdrawn."))
        return redirect("awards:nomination_list")


class NominationConsentView(NominatorObjectMixin, View):
    """The nominator gives or withdraws consent to publish the practice description after submission."""

    def post(self, request, *args, **kwargs):
        nomination = self.get_nomination()
        consent = request.POST.get("consent") == "1"
        try:
            services.nomination_set_consent(nomination=nomination, consent=consent, by=request.user, request=request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Consent given: the practice description may be published with a result.")
                if consent
                else _("Consent withdrawn: the practice description is no longer shown anywhere in public."),
            )
        return redirect("awards:nomination_detail", pk=nomination.pk)


class AttachmentDeleteView(NominatorObjectMixin, View):
    def post(self, request, *args, **kwargs):
        nomination = self.get_nomination()
        attachment = get_object_or_404(Attachment, pk=kwargs["attachment_pk"], nomination=nomination)
        try:
            services.attachment_delete(attachment=attachment, by=request.user, request=request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The attachment %(name)s was removed.") % {"name": attachment.original_name})
        return redirect("awards:nomination_edit", pk=nomination.pk)


class AttachmentDownloadView(LoginRequiredMixin, View):
    """Serves an attachment to the nomination's nominators and staff only, always as a download."""

    def get(self, request, *args, **kwargs):
        nomination = get_object_or_404(nominations_on_nominator_pages(request.user), pk=kwargs["pk"])
        attachment = get_object_or_404(Attachment, pk=kwargs["attachment_pk"], nomination=nomination)
        # The jury gets the cleaned copy (no metadata or comments); staff and the nominators the original.
        try:
            path = attachment_file(attachment, original=sees_original(request.user, nomination))
            if path is None:
                raise Http404
            handle = path.open("rb")
        except (OSError, ValueError) as exc:
            raise Http404 from exc
        response = FileResponse(
            handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class NominationPdfView(LoginRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        nomination = get_object_or_404(
            nominations_on_nominator_pages(request.user).select_related("cycle__award", "organisation"),
            pk=kwargs["pk"],
        )
        content = nomination_pdf(nomination)
        response = HttpResponse(content, content_type="application/pdf")
        name = nomination.reference or f"nomination-{nomination.pk}"
        disposition = "attachment" if request.GET.get("download") else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{name}.pdf"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# Staff ---------------------------------------------------------------------------------------------------------


class StaffRequiredMixin(RuleRequiredMixin):
    rule = "manage_cycle"


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
        return self.nominations().select_related("organisation", "safeguard").order_by("reference", "pk")

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
            regions=by_name(Region.objects.all()),
            counties=by_name(WellbeingServicesCounty.objects.all()),
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
        services.nominations_exported(
            cycle=self.cycle, by=request.user, fmt=fmt, count=queryset.count(), request=request
        )
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
            nominations_visible_to(self.request.user).select_related("cycle__award", "organisation", "practice"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nomination = kwargs.get("nomination") or self.get_nomination()
        context.update(
            nomination=nomination,
            deadline=nomination_deadline(nomination),
            extensions=nomination.extensions.select_related("granted_by"),
            justifications=nomination.justifications.select_related("criterion"),
            attachments=nomination.attachments.all(),
            municipalities=nomination.municipalities.all(),
            counties=nomination.counties.all(),
            practice_organisations=nomination.practice_organisations.all(),
            findings=nomination_findings(nomination),
            safeguard=safeguard_of(nomination),
            clear_form=kwargs.get("clear_form") or SafeguardClearForm(),
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
                lambda data: self._tell_effects(
                    services.nomination_set_eligibility(
                        nomination=nomination,
                        eligibility=data["eligibility"],
                        reason=data["reason"],
                        by=request.user,
                        request=request,
                    )
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

    def _tell_effects(self, nomination):
        for effect in eligibility_effects(nomination):
            messages.warning(self.request, effect)
        return nomination

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
