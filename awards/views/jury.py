"""Jury pages: a juror's worklist and scoring, the chair's ranking, and the staff's jury management and export.

Every page needs a verified second factor. Nominations are looked up through the jury's visibility querysets
(awards.selectors.jury), so a conflicted nomination is a 404 by every URL.
"""

from statistics import mean

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_otp.conf import settings as otp_settings

from accounts.models import User
from awards import exports, files
from awards.forms.jury import (
    AssignmentForm,
    ConflictAddForm,
    ConflictDeclareForm,
    ConflictLiftForm,
    JuryCloseForm,
    JuryReopenForm,
    RemindForm,
    ReviewForm,
)
from awards.models import (
    Attachment,
    AwardCycle,
    ConflictOfInterest,
    Criterion,
    JuryMembership,
    Nomination,
    Review,
)
from awards.selectors.jury import (
    DISAGREEMENT_MIN_SPREAD,
    assigned_nominations,
    export_reviews,
    juror_worklist,
    jury_close_summary,
    jury_cycles,
    jury_progress,
    jury_reading,
    others_reviews,
    others_visible,
    ranking,
    ranking_nominations,
    ranking_scores_visible,
    review_change_refusal,
    unfinished_count,
)
from awards.selectors.panel import panel_column
from awards.selectors.safeguard import attachment_file, sees_original
from awards.services import jury as services


def is_verified(user) -> bool:
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


class VerifiedMixin:
    """Signed in with a verified second factor (jurors, chairs and staff must be); then `check` may refuse."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), resolve_url(otp_settings.OTP_LOGIN_URL))
        if not is_verified(request.user):
            # Whoever needs a second factor was sent to it by RequireSecondFactorMiddleware; a signed-in person
            # still unverified here holds no jury role. Sending them to sign in would bounce them straight back.
            raise Http404
        self.check(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def check(self, request, **kwargs) -> None:
        """Look up the objects of the page; raise Http404 for what the user may not see."""


class JurorCycleMixin(VerifiedMixin):
    """The cycle by year, among the jury cycles of the user; anything else is a 404."""

    def check(self, request, **kwargs) -> None:
        self.cycle = get_object_or_404(jury_cycles(request.user), year=kwargs["year"])


class StaffCycleMixin(VerifiedMixin):
    def check(self, request, **kwargs) -> None:
        if not rules.test_rule("manage_cycle", request.user):
            raise Http404
        self.cycle = get_object_or_404(AwardCycle.objects.select_related("award"), year=kwargs["year"])


class JuryHomeView(LoginRequiredMixin, TemplateView):
    """The jury's front page: the cycles one sits on. It names no nomination, so it needs no second factor;
    it links on to pages that do."""

    template_name = "awards/jury/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["verified"] = is_verified(user)
        cycles = list(jury_cycles(user).order_by("-year"))
        chaired = set(
            JuryMembership.objects.filter(user=user, role=JuryMembership.Role.CHAIR).values_list("cycle_id", flat=True)
        )
        for cycle in cycles:
            cycle.is_chair = cycle.pk in chaired
        context["cycles"] = cycles
        if user.is_staff:
            context["staff_cycles"] = list(
                AwardCycle.objects.filter(
                    state__in=[AwardCycle.State.CLOSED, AwardCycle.State.SCORING, AwardCycle.State.DECIDED]
                ).order_by("-year")
            )
        return context


class WorklistView(JurorCycleMixin, TemplateView):
    template_name = "awards/jury/worklist.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nominations = list(juror_worklist(self.request.user, self.cycle))
        context.update(
            cycle=self.cycle,
            nominations=nominations,
            submitted=sum(1 for n in nominations if n.own_review_state == Review.State.SUBMITTED),
            drafts=sum(1 for n in nominations if n.own_review_state == Review.State.DRAFT),
            jury_open=self.cycle.is_jury_open(),
            can_view_ranking=rules.test_rule("view_ranking", self.request.user, self.cycle),
            # Both are "staff or the cycle's chair" (awards/rules.py): asked once.
            can_record_decision=(chair_or_staff := rules.test_rule("record_decision", self.request.user, self.cycle)),
            can_close_jury=chair_or_staff,
        )
        return context


class ReviewView(JurorCycleMixin, TemplateView):
    """The reading view of a nomination beside its scoring form."""

    template_name = "awards/jury/review.html"

    def _load(self):
        user = self.request.user
        self.nomination = get_object_or_404(
            assigned_nominations(user, self.cycle).select_related("organisation", "cycle"), pk=self.kwargs["pk"]
        )
        self.criteria = list(Criterion.objects.filter(cycle=self.cycle).order_by("order", "pk"))
        self.justifications = dict(self.nomination.justifications.values_list("criterion_id", "text"))
        self.review = Review.objects.filter(juror=user, nomination=self.nomination).prefetch_related("scores").first()

    def _form(self, data=None):
        editable = self.cycle.is_jury_open() and not (self.review and self.review.is_submitted)
        return ReviewForm(
            data,
            criteria=self.criteria,
            justifications=self.justifications,
            initial=ReviewForm.initial_for(self.review, self.criteria),
            disabled=not editable,
        )

    def get(self, request, *args, **kwargs):
        self._load()
        return self.render_to_response(self.get_context_data(form=self._form()))

    def post(self, request, *args, **kwargs):
        self._load()
        autosave = request.headers.get("X-Autosave") == "1"
        submit = "submit" in request.POST and not autosave
        form = self._form(request.POST)
        stale = None
        if form.is_valid():
            try:
                review = services.review_save(
                    juror=request.user,
                    nomination=self.nomination,
                    version=form.cleaned_data["version"],
                    scores=form.score_inputs(),
                    overall_comment=form.cleaned_data["overall_comment"],
                    abstain=form.cleaned_data["abstain"],
                    abstain_reason=form.cleaned_data["abstain_reason"],
                    submit=submit,
                    request=request,
                )
            except Nomination.DoesNotExist as exc:
                raise Http404 from exc
            except services.StaleReview as exc:
                stale = exc.review
            except ValidationError as exc:
                self._add_errors(form, exc)
            else:
                if autosave:
                    saved_at = formats.time_format(timezone.localtime(review.updated_at), "H:i")
                    return JsonResponse(
                        {"version": review.version, "message": _("Draft saved at %(time)s.") % {"time": saved_at}}
                    )
                if submit:
                    messages.success(request, _("Your review is submitted. Thank you."))
                else:
                    messages.success(request, _("Your draft is saved."))
                return redirect(request.path)
        if autosave:
            return self._autosave_refused(stale, form)
        if stale is not None:
            # Keep what the juror typed, show what was saved elsewhere, and let the next save be based on it.
            data = request.POST.copy()
            data["version"] = str(stale.version)
            self.review = Review.objects.prefetch_related("scores").get(pk=stale.pk)
            form = ReviewForm(data, criteria=self.criteria, justifications=self.justifications)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "This review was saved in another window after you opened it. Nothing of yours was saved. "
                    "Compare with the saved version below and save again to keep your text."
                ),
            )
        return self.render_to_response(self.get_context_data(form=form, stale=stale), status=200)

    @staticmethod
    def _autosave_refused(stale, form) -> JsonResponse:
        """Automatic saving never overrides anything: it stops and asks the juror to save with the button, which
        shows the errors next to their fields or both versions side by side."""
        if stale is not None:
            message = _("This review was changed in another window. Save with the button to compare the versions.")
            return JsonResponse({"message": message, "stale": True}, status=409)
        message = _("Not saved automatically: %(errors)s Save with the button to see the details.") % {
            "errors": " ".join(str(e) for errors in form.errors.values() for e in errors)
        }
        return JsonResponse({"message": message}, status=400)

    @staticmethod
    def _add_errors(form, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        order = list(juror_worklist(user, self.cycle).values_list("pk", flat=True))
        position = order.index(self.nomination.pk) if self.nomination.pk in order else None
        if position is not None:
            context["position"] = position + 1
            context["total"] = len(order)
            context["previous_pk"] = order[position - 1] if position > 0 else None
            context["next_pk"] = order[position + 1] if position + 1 < len(order) else None
        context.update(
            cycle=self.cycle,
            nomination=self.nomination,
            review=self.review,
            criteria=self.criteria,
            **jury_reading(self.nomination),
            jury_open=self.cycle.is_jury_open(),
        )
        if others_visible(user, self.review, self.cycle):
            context["others"] = self._others_table()
            if context["others"]["rows"] and self.review.others_seen_at is None:
                # Recorded as they are shown: a later change of this review is marked (or refused by the cycle).
                services.others_scores_shown(viewer=user, nomination_ids=[self.nomination.pk], request=self.request)
                self.review.others_seen_at = timezone.now()
        if self.review is not None:
            context["change_refusal"] = review_change_refusal(self.review, self.cycle)
        if context.get("stale") is not None:
            saved = ReviewForm.initial_for(context["stale"], self.criteria)
            context["saved_scores"] = [
                (c, saved.get(f"score_{c.pk}"), saved.get(f"comment_{c.pk}", "")) for c in self.criteria
            ]
            context["saved_overall"] = saved.get("overall_comment", "")
        return context

    def _others_table(self) -> dict:
        reviews = list(others_reviews(self.request.user, self.nomination))
        rows = []
        per_criterion = {c.pk: [] for c in self.criteria}
        for review in reviews:
            by_criterion = {s.criterion_id: s for s in review.scores.all()}
            cells = []
            for criterion in self.criteria:
                score = by_criterion.get(criterion.pk)
                cells.append(score)
                if score and score.value is not None and not review.abstain:
                    per_criterion[criterion.pk].append(score.value)
            rows.append({"review": review, "cells": cells})
        averages = [mean(per_criterion[c.pk]) if per_criterion[c.pk] else None for c in self.criteria]
        return {"rows": rows, "averages": averages}


class ReviewReopenView(JurorCycleMixin, View):
    def post(self, request, *args, **kwargs):
        nomination = get_object_or_404(assigned_nominations(request.user, self.cycle), pk=kwargs["pk"])
        review = get_object_or_404(Review, juror=request.user, nomination=nomination)
        try:
            services.review_reopen(juror=request.user, review=review, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your review is a draft again. Submit it again when you are done."))
        return redirect("awards:jury_review", year=self.cycle.year, pk=nomination.pk)


class JuryAttachmentView(JurorCycleMixin, View):
    """An attachment of a nomination the juror reviews, read in the browser: a PDF inline, anything else as a
    download. The nomination is looked up as the review page looks it up (conflicts and assignments included),
    so whatever the juror may not review is a 404 here too."""

    def get(self, request, *args, **kwargs):
        nomination = get_object_or_404(assigned_nominations(request.user, self.cycle), pk=kwargs["pk"])
        attachment = get_object_or_404(Attachment, pk=kwargs["attachment_pk"], nomination=nomination)
        # The jury gets the copy cleaned of metadata (the child-data safeguard); one without a cleaned copy is not
        # served to the jury at all.
        path = attachment_file(attachment, original=sees_original(request.user, nomination))
        if path is None:
            raise Http404
        try:
            handle = path.open("rb")
        except (OSError, ValueError) as exc:
            raise Http404 from exc
        inline = attachment.content_type == files.PDF
        response = FileResponse(
            handle,
            as_attachment=not inline,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        # The type was decided from the bytes at upload; the browser must not guess another, keep a copy, or
        # let another site embed or read the file.
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        response["Referrer-Policy"] = "no-referrer"
        return response


class ConflictDeclareView(JurorCycleMixin, FormView):
    template_name = "awards/jury/conflict_declare.html"
    form_class = ConflictDeclareForm

    def get_nomination(self):
        return get_object_or_404(assigned_nominations(self.request.user, self.cycle), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(cycle=self.cycle, nomination=self.get_nomination())
        return context

    def form_valid(self, form):
        nomination = self.get_nomination()
        try:
            services.conflict_declare(
                juror=self.request.user, nomination=nomination, reason=form.cleaned_data["reason"], request=self.request
            )
        except ValidationError as exc:
            form.add_error("reason", exc.messages)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Your conflict of interest is recorded. The nomination is no longer shown to you.")
        )
        return redirect("awards:jury_worklist", year=self.cycle.year)


class RankingView(VerifiedMixin, TemplateView):
    """The chair's combined ranking; chairs of the cycle and staff, conflicted nominations absent."""

    template_name = "awards/jury/ranking.html"

    def check(self, request, **kwargs) -> None:
        self.cycle = get_object_or_404(AwardCycle.objects.select_related("award"), year=kwargs["year"])
        if not rules.test_rule("view_ranking", request.user, self.cycle):
            raise Http404

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            cycle=self.cycle,
            disagreement_min=DISAGREEMENT_MIN_SPREAD,
            can_record_decision=rules.test_rule("record_decision", user, self.cycle),
        )
        if not ranking_scores_visible(user, self.cycle):
            # Blind scoring: a chair who scores sees the others' scores only after their own reviews.
            context.update(blind=True, unfinished=unfinished_count(user, self.cycle))
            return context
        result = ranking(user, self.cycle)
        services.others_scores_shown(
            viewer=user, nomination_ids=[r.nomination_id for r in result.rows], request=self.request
        )
        context.update(
            ranking=result,
            flagged=sum(1 for r in result.rows if r.disagreement),
            revised=sum(r.revised for r in result.rows),
            left_out=sum(r.left_out for r in result.rows),
        )
        # The experts-by-experience panel: a column of its own, read separately and never part of the jury's
        # weighted score or its normalisation (awards/selectors/panel.py).
        panel_questions, panel = panel_column(self.cycle, [row.nomination_id for row in result.rows])
        for row in result.rows:
            row.panel = panel.get(row.nomination_id)
        context.update(has_panel=bool(panel_questions), panel_questions=panel_questions)
        return context


class JuryManageView(StaffCycleMixin, TemplateView):
    """Staff run the jury of a cycle: period, assignment, reminders, conflicts and the export."""

    template_name = "awards/jury/manage.html"
    FORMS = ("reopen", "assign", "remind", "conflict_add", "conflict_lift")

    def _jurors(self):
        return User.objects.filter(jury_memberships__cycle=self.cycle).order_by("last_name", "first_name", "email")

    def _nominations(self):
        return ranking_nominations(self.request.user, self.cycle).order_by("reference", "pk")

    def _conflicts(self):
        return ConflictOfInterest.objects.filter(
            nomination__in=self._nominations(), lifted_at__isnull=True
        ).select_related("user", "nomination")

    def _form(self, name, data=None):
        kwargs = {}
        if name == "conflict_add":
            kwargs = {"jurors": self._jurors(), "nominations": self._nominations()}
        elif name == "conflict_lift":
            kwargs = {"conflicts": self._conflicts()}
        elif name == "assign" and data is None:
            kwargs = {"initial": {"mode": self.cycle.jury_assignment}}
        forms = {
            "reopen": JuryReopenForm,
            "assign": AssignmentForm,
            "remind": RemindForm,
            "conflict_add": ConflictAddForm,
            "conflict_lift": ConflictLiftForm,
        }
        return forms[name](data, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bound = kwargs.get("bound")
        for name in self.FORMS:
            if name != "conflict_lift":
                context[f"{name}_form"] = bound if bound is not None and bound.form_name == name else self._form(name)
        conflicts = list(self._conflicts().order_by("nomination__reference", "user__email"))
        for conflict in conflicts:
            if (
                bound is not None
                and bound.form_name == "conflict_lift"
                and bound.data.get("conflict") == str(conflict.pk)
            ):
                conflict.lift_form = bound
            else:
                conflict.lift_form = self._form("conflict_lift")
                conflict.lift_form.initial = {"conflict": conflict.pk}
            conflict.lift_form.auto_id = f"id_lift{conflict.pk}_%s"
            conflict.lift_form.helper = ConflictLiftForm(
                conflicts=ConflictOfInterest.objects.none(), key=f"lift{conflict.pk}"
            ).helper
        context.update(
            cycle=self.cycle,
            jury_open=self.cycle.is_jury_open(),
            progress=jury_progress(self.cycle),
            conflicts=conflicts,
            nomination_count=self._nominations().count(),
        )
        return context

    def post(self, request, *args, **kwargs):
        name = request.POST.get("form")
        if name not in self.FORMS:
            raise Http404
        form = self._form(name, request.POST)
        form.form_name = name
        if form.is_valid():
            try:
                self._apply(name, form)
            except ValidationError as exc:
                ReviewView._add_errors(form, exc)
            else:
                return redirect("awards:jury_manage", year=self.cycle.year)
        messages.error(request, _("Please correct the errors below."))
        return self.render_to_response(self.get_context_data(bound=form))

    def _apply(self, name, form) -> None:
        user, request, data = self.request.user, self.request, form.cleaned_data
        if name == "reopen":
            services.jury_period_reopen(
                cycle=self.cycle, by=user, reason=data["reason"], closes_at=data["closes_at"], request=request
            )
            messages.success(request, _("The jury period is open again."))
        elif name == "assign":
            if data["mode"] == "all":
                services.assignments_all(cycle=self.cycle, by=user, request=request)
                messages.success(request, _("Every juror now reviews every eligible nomination."))
            else:
                result = services.assignments_balance(
                    cycle=self.cycle, per_nomination=data["per_nomination"], by=user, request=request
                )
                messages.success(request, _("The nominations are assigned."))
                if result.short:
                    messages.warning(
                        request,
                        _("%(count)d nominations got fewer jurors than asked: not enough jurors free of conflicts.")
                        % {"count": len(result.short)},
                    )
        elif name == "remind":
            reminded = services.jury_send_reminders(cycle=self.cycle, by=user, request=request)
            messages.success(request, _("Reminders sent to %(count)d jurors.") % {"count": len(reminded)})
        elif name == "conflict_add":
            services.conflict_add(
                by=user, juror=data["juror"], nomination=data["nomination"], reason=data["reason"], request=request
            )
            messages.success(request, _("The conflict is recorded."))
        elif name == "conflict_lift":
            services.conflict_lift(by=user, conflict=data["conflict"], reason=data["lift_reason"], request=request)
            messages.success(request, _("The conflict is lifted."))


class JuryCloseView(VerifiedMixin, TemplateView):
    """Ending the jury period, its own step for staff or the chair: first who still has unfinished reviews and
    how many, and which nominations have fewer scored reviews than the cycle's quorum; then the button."""

    template_name = "awards/jury/close.html"

    def check(self, request, **kwargs) -> None:
        self.cycle = get_object_or_404(AwardCycle.objects.select_related("award"), year=kwargs["year"])
        if not rules.test_rule("close_jury_period", request.user, self.cycle):
            raise Http404

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            cycle=self.cycle,
            jury_open=self.cycle.is_jury_open(),
            summary=jury_close_summary(self.request.user, self.cycle),
            form=JuryCloseForm(),
            back_url=self._back_url(),
        )
        return context

    def _back_url(self) -> str:
        if rules.test_rule("manage_cycle", self.request.user):
            return reverse("awards:jury_manage", args=[self.cycle.year])
        return reverse("awards:jury_worklist", args=[self.cycle.year])

    def post(self, request, *args, **kwargs):
        if not self.cycle.is_jury_open():
            messages.info(request, _("The jury period is already closed."))
        else:
            services.jury_period_close(cycle=self.cycle, by=request.user, request=request)
            messages.success(request, _("The jury period is closed. Reviews can no longer be changed."))
        return redirect(self._back_url())


class ScoreExportView(StaffCycleMixin, View):
    """All scores and comments of the cycle, as CSV or XLSX, for staff; conflicted entries absent."""

    def header(self) -> list[str]:
        return [
            _("Reference"),
            _("Nomination"),
            _("Juror"),
            _("Juror's e-mail"),
            _("Review state"),
            _("Submitted"),
            _("Abstained"),
            _("Reason for abstaining"),
            _("Criterion"),
            _("Weight"),
            _("Score"),
            _("Comment"),
            _("Overall comment"),
            _("Saw others' scores"),
            _("Changed after seeing others' scores"),
        ]

    def rows(self):
        criteria = list(Criterion.objects.filter(cycle=self.cycle).order_by("order", "pk"))
        for review in export_reviews(self.request.user, self.cycle):
            by_criterion = {s.criterion_id: s for s in review.scores.all()}
            submitted = (
                timezone.localtime(review.submitted_at).strftime("%Y-%m-%d %H:%M") if review.submitted_at else ""
            )
            seen = timezone.localtime(review.others_seen_at).strftime("%Y-%m-%d %H:%M") if review.others_seen_at else ""
            for criterion in criteria:
                score = by_criterion.get(criterion.pk)
                yield [
                    review.nomination.reference or "",
                    review.nomination.name,
                    str(review.juror),
                    review.juror.email,
                    review.get_state_display(),
                    submitted,
                    _("yes") if review.abstain else _("no"),
                    review.abstain_reason,
                    criterion.name,
                    float(criterion.weight),
                    score.value if score else None,
                    score.comment if score else "",
                    review.overall_comment,
                    seen,
                    _("yes") if review.changed_after_seeing_at else _("no"),
                ]

    def get(self, request, *args, **kwargs):
        fmt = kwargs["fmt"]
        filename = f"pisteet-{self.cycle.year}.{fmt}"
        services.jury_scores_exported(cycle=self.cycle, by=request.user, fmt=fmt, request=request)
        if fmt == "csv":
            rows = (["" if value is None else value for value in row] for row in self.rows())
            response = HttpResponse(
                exports.csv_bytes(self.header(), rows, delimiter=","), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(
                exports.xlsx_bytes(_("Scores"), self.header(), self.rows()),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
