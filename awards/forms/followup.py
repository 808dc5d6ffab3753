"""Forms of the follow-up of winners: the awarded organisation's answer, and staff's filter."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from awards.models import FollowUp

MAX_TEXT = 3000


class FollowUpAnswerForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["still_running", "spread", "changes", "evaluation", "answered_by"]
        widgets = {
            "still_running": forms.RadioSelect,
            "spread": forms.Textarea(attrs={"rows": 3, "maxlength": MAX_TEXT}),
            "changes": forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT}),
            "evaluation": forms.Textarea(attrs={"rows": 3, "maxlength": MAX_TEXT}),
            "answered_by": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        labels = {
            "still_running": _("Is the practice still running?"),
            "spread": _("Where has it spread?"),
            "changes": _("What has changed since the prize?"),
            "evaluation": _("Has it been evaluated since? What was found?"),
            "answered_by": _("Your name and title"),
        }
        help_texts = {
            "spread": _("Other municipalities, counties or organisations that have taken it up."),
            "answered_by": _("Shown with the answer on the practice's public page."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["still_running"].required = True
        self.fields["still_running"].choices = FollowUp.Running.choices
        self.fields["answered_by"].required = True
        for name in ("spread", "changes", "evaluation"):
            self.fields[name].validators.append(MaxLengthValidator(MAX_TEXT))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(name) or "").strip() for name in ("spread", "changes", "evaluation")):
            self.add_error(
                "changes",
                _("Tell us at least a little: what has changed, where it has spread, or how it was evaluated."),
            )
        return cleaned


class FollowUpFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Waiting or answered")), ("all", _("All")), *FollowUp.State.choices],
    )
