"""Forms of the experts-by-experience panel: signing in with an e-mailed code, the panel's own rubric, and staff's
pseudonyms and clearances."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import PanelClearance, PanelMembership

NOT_SURE = "na"
SCALE = [
    ("1", _("Not at all")),
    ("2", _("A little")),
    ("3", _("Quite a lot")),
    ("4", _("Very much")),
    (NOT_SURE, _("I cannot say")),
]


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class PanelSignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        help_text=_("We send a code to this address. You need no password."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class PanelCodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code from the e-mail"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=_("Six numbers. The code works for a few minutes and once only."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit():
            raise forms.ValidationError(_("The code has numbers only."))
        return code


class PanelReviewForm(forms.Form):
    """One answer per question of the cycle's rubric on a four-step scale (or "I cannot say"), and a comment."""

    comment = forms.CharField(
        label=_("What would you like the jury to know?"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Write as you would say it. The jury sees your pseudonym, never your name."),
    )

    def __init__(self, *args, questions, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        comment = self.fields.pop("comment")
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = forms.ChoiceField(
                label=question.text,
                choices=SCALE,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "panel-choice"}),
            )
        self.fields["comment"] = comment
        for field in self.fields.values():
            field.disabled = disabled
        self.helper = _helper()

    @staticmethod
    def initial_for(review, questions) -> dict:
        if review is None:
            return {}
        answers = {a.question_id: a.value for a in review.answers.all()}
        initial = {"comment": review.comment}
        for question in questions:
            if question.pk in answers:
                value = answers[question.pk]
                initial[f"q_{question.pk}"] = NOT_SURE if value is None else str(value)
        return initial

    def answers(self) -> dict[int, int | None]:
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q_{question.pk}")
            if value:
                result[question.pk] = None if value == NOT_SURE else int(value)
        return result


class PseudonymForm(forms.ModelForm):
    class Meta:
        model = PanelMembership
        fields = ["pseudonym"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class PanelClearanceForm(forms.ModelForm):
    class Meta:
        model = PanelClearance
        fields = ["plain_summary_fi", "plain_summary_sv", "plain_summary_en", "show_contact", "attachments"]
        widgets = {
            "plain_summary_fi": forms.Textarea(attrs={"rows": 4}),
            "plain_summary_sv": forms.Textarea(attrs={"rows": 3}),
            "plain_summary_en": forms.Textarea(attrs={"rows": 3}),
            "attachments": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "show_contact": _("Leave it off unless the contact person has agreed to be shown to the panel."),
            "attachments": _("The panel gets the cleaned copies (no metadata); check them first for personal data."),
        }

    def __init__(self, *args, nomination, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].queryset = nomination.attachments.order_by("created_at", "pk")
        for name in ("plain_summary_fi", "plain_summary_sv", "plain_summary_en"):
            self.fields[name].max_length = 3000
            self.fields[name].widget.attrs["maxlength"] = 3000
        self.helper = _helper()
