"""Forms of the child-data safeguard: the nominator's reason to submit anyway, staff's clearance, and the findings
shown in place on the nomination form."""

from crispy_forms.helper import FormHelper
from django import forms
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class SafeguardReasonForm(forms.Form):
    """Part of the nomination form, shown when something looks like personal data."""

    safeguard_reason = forms.CharField(
        label=_("Submit anyway: why must this stay in the nomination?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: the address is the family centre's, not a family's. Staff read your reason and check "
            "the nomination before the jury sees it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class SafeguardClearForm(forms.Form):
    note = forms.CharField(
        label=_("Why may the nomination go to the jury as it is?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with your name. If the personal data must go, ask the nominator to remove it instead."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def show_findings_in_form(form, findings) -> None:
    """Each text finding under its own field of the nomination form, in the field's help text (so it is read out
    with the field), with the words around it and the finding marked."""
    for field_name, field_findings in findings.by_field().items():
        field = form.fields.get(field_name)
        if field is None:
            continue
        notes = render_to_string("awards/safeguard/_field_findings.html", {"findings": field_findings})
        field.help_text = mark_safe(f"{conditional_escape(field.help_text or '')}{notes}")  # noqa: S308 (escaped)
