"""Forms of jury work: the scoring form of one nomination, declaring a conflict, and the staff's jury management."""

from crispy_forms.bootstrap import FormActions, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Hidden, Layout, Submit
from django import forms
from django.template.defaultfilters import linebreaks_filter as linebreaks
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from awards.models import ConflictOfInterest, Nomination
from awards.services.jury import (
    ABSTAIN_REASON_MAX,
    CONFLICT_REASON_MAX,
    OVERALL_COMMENT_MAX,
    SCORE_COMMENT_MAX,
    ScoreInput,
)


class Markup(HTML):
    """Ready HTML in a crispy layout, inserted as it is. Crispy's HTML() renders its text as a template, so text
    a nominator or staff wrote ("{{ … }}", "{% … %}") must never go through it."""

    def render(self, form, context, template_pack=None, **kwargs):
        return self.html


class Button(Submit):
    """A submit button whose look is given entirely by css_class (Submit always adds btn-primary)."""

    field_classes = "btn"


class ReviewForm(forms.Form):
    """One score per criterion on its scale with an optional comment, an overall comment, or an abstention.

    Every field is optional for a draft; the service decides what a submission needs, so the rules live in one
    place, and its errors come back next to their fields.
    """

    overall_comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=OVERALL_COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    abstain = forms.BooleanField(
        label=_("I abstain from scoring this nomination"),
        required=False,
        help_text=_("For example when you know the practice too closely to judge it. Give the reason below."),
    )
    abstain_reason = forms.CharField(
        label=_("Reason for abstaining"),
        required=False,
        max_length=ABSTAIN_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, criteria, justifications: dict[int, str] | None = None, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        justifications = justifications or {}
        fieldsets = []
        for criterion in self.criteria:
            score_name, comment_name = f"score_{criterion.pk}", f"comment_{criterion.pk}"
            self.fields[score_name] = forms.TypedChoiceField(
                label=_("Score"),
                choices=[(v, str(v)) for v in range(criterion.scale_min, criterion.scale_max + 1)],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                help_text=_("From %(min)s (weakest) to %(max)s (strongest).")
                % {"min": criterion.scale_min, "max": criterion.scale_max},
            )
            self.fields[comment_name] = forms.CharField(
                label=_("Comment (optional)"),
                required=False,
                max_length=SCORE_COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            guidance = (
                format_html('<p class="small text-body-secondary">{}</p>', criterion.guidance)
                if criterion.guidance
                else ""
            )
            weight = f"{criterion.weight.normalize():f}"
            legend = _("%(name)s (weight %(weight)s)") % {"name": criterion.name, "weight": weight}
            fieldsets.append(
                Fieldset(
                    legend,
                    Markup(guidance),
                    Markup(self._justification_html(justifications.get(criterion.pk, ""))),
                    InlineRadios(score_name),
                    comment_name,
                    css_class="criterion",
                )
            )
        if disabled:
            for field in self.fields.values():
                field.disabled = True
        self.helper = FormHelper()
        self.helper.form_id = "review-form"
        self.helper.attrs = {"data-unsaved-warning": _("You have unsaved changes in your review.")}
        actions = (
            []
            if disabled
            else [
                HTML('<p id="autosave-status" class="small text-body-secondary" role="status" aria-live="polite"></p>'),
                FormActions(
                    Button("save", _("Save draft"), css_class="btn-outline-primary"),
                    Button("submit", _("Submit review"), css_class="btn-primary"),
                ),
            ]
        )
        self.helper.layout = Layout(
            *fieldsets,
            Fieldset(_("The whole nomination"), "overall_comment", "abstain", "abstain_reason"),
            "version",
            *actions,
        )

    def clean(self):
        cleaned = super().clean()
        if "version" in self.errors:
            # The hidden version came back missing or garbled: say so, not "changed elsewhere".
            raise forms.ValidationError(
                _("A hidden part of the form was missing or damaged, so nothing was saved. Reload the page."),
                code="version",
            )
        return cleaned

    @staticmethod
    def _justification_html(text: str) -> str:
        """The nominator's justification of this criterion, right above its score."""
        if not text.strip():
            return format_html(
                '<p class="justification justification-empty">{}</p>',
                _("The nominator gave no justification for this criterion."),
            )
        return format_html(
            '<div class="justification"><p class="justification-label">{}</p>{}</div>',
            _("The nominator's justification"),
            linebreaks(text),
        )

    def score_inputs(self) -> dict[int, ScoreInput]:
        return {
            c.pk: ScoreInput(
                value=self.cleaned_data.get(f"score_{c.pk}"), comment=self.cleaned_data.get(f"comment_{c.pk}", "")
            )
            for c in self.criteria
        }

    @staticmethod
    def initial_for(review, criteria) -> dict:
        if review is None:
            return {"version": 0}
        initial = {
            "version": review.version,
            "overall_comment": review.overall_comment,
            "abstain": review.abstain,
            "abstain_reason": review.abstain_reason,
        }
        for score in review.scores.all():
            initial[f"score_{score.criterion_id}"] = score.value
            initial[f"comment_{score.criterion_id}"] = score.comment
        return initial


class ConflictDeclareForm(forms.Form):
    reason = forms.CharField(
        max_length=CONFLICT_REASON_MAX,
        label=_("What is the conflict?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: I took part in developing the practice, or a close relative works in the team."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Button("declare", _("Declare the conflict"), css_class="btn-danger"))


def _staff_helper(form_name: str, label: str, css_class: str = "btn-primary", key: str = "") -> FormHelper:
    """A staff form of the jury page: which form it is (a hidden field) and its button, with ids of its own, as
    the page holds several such forms."""
    key = key or form_name
    helper = FormHelper()
    helper.form_tag = True
    helper.add_input(Hidden("form", form_name, css_id=f"form-{key}"))
    helper.add_input(Button("go", label, css_class=css_class, css_id=f"go-{key}"))
    return helper


class JuryReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why is the jury period reopened?"), widget=forms.Textarea(attrs={"rows": 2}))
    closes_at = forms.DateTimeField(
        label=_("New closing time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Needed when the previous closing time has passed. Finnish time."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_reopen_%s")
        super().__init__(*args, **kwargs)
        self.helper = _staff_helper("reopen", _("Reopen the jury period"))


class JuryCloseForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _staff_helper("close", _("Close the jury period now"), "btn-danger")


class AssignmentForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Who reviews what"),
        choices=[
            ("all", _("Every juror reviews every eligible nomination")),
            ("selected", _("A chosen number of jurors per nomination, balanced")),
        ],
        widget=forms.RadioSelect,
    )
    per_nomination = forms.IntegerField(label=_("Jurors per nomination"), min_value=1, max_value=50, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_assign_%s")
        super().__init__(*args, **kwargs)
        self.helper = _staff_helper("assign", _("Save the assignment"))

    def clean(self):
        data = super().clean()
        if data.get("mode") == "selected" and not data.get("per_nomination"):
            self.add_error("per_nomination", _("Give the number of jurors per nomination."))
        return data


class RemindForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _staff_helper("remind", _("E-mail jurors with unfinished reviews"), "btn-outline-primary")


class ConflictAddForm(forms.Form):
    juror = forms.ModelChoiceField(label=_("Juror"), queryset=User.objects.none())
    nomination = forms.ModelChoiceField(label=_("Nomination"), queryset=Nomination.objects.none())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, jurors, nominations, **kwargs):
        kwargs.setdefault("auto_id", "id_conflict_%s")
        super().__init__(*args, **kwargs)
        self.fields["juror"].queryset = jurors
        self.fields["nomination"].queryset = nominations
        self.helper = _staff_helper("conflict_add", _("Record the conflict"))


class ConflictLiftForm(forms.Form):
    conflict = forms.ModelChoiceField(queryset=ConflictOfInterest.objects.none(), widget=forms.HiddenInput)
    lift_reason = forms.CharField(label=_("Why is the conflict lifted?"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, conflicts, key: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conflict"].queryset = conflicts
        self.helper = _staff_helper("conflict_lift", _("Lift the conflict"), "btn-outline-danger", key=key)
