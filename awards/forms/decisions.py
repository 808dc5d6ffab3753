"""Forms of the jury's decision, rendered with crispy-forms (bootstrap5)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from awards.models import DecisionEntry


def submit_helper(submit_label=None, *, form_tag=True) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    if submit_label:
        helper.add_input(Submit("submit", submit_label))
    return helper


class DecisionEntryForm(forms.Form):
    """The jury's result for one nomination; leave the result empty for no result."""

    nomination = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", _("No result")), *DecisionEntry.Result.choices],
    )
    order = forms.IntegerField(label=_("Order on the page"), min_value=0, max_value=999, initial=0, required=False)
    citation_fi = forms.CharField(
        label=_("Citation in Finnish"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    citation_sv = forms.CharField(
        label=_("Citation in Swedish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required before the result is published."),
    )
    citation_en = forms.CharField(
        label=_("Citation in English"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    panel_note = forms.CharField(
        label=_("What the experts-by-experience panel said"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: cite the panel's view in the decision record. Not published."),
    )

    def __init__(self, *args, nomination=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.nomination = nomination
        self.helper = submit_helper(form_tag=False)
        self.helper.disable_csrf = True

    def clean(self):
        data = super().clean()
        if data.get("result") and not (data.get("citation_fi") or "").strip():
            self.add_error("citation_fi", _("Write the jury's citation in Finnish for a nomination with a result."))
        return data


class BaseDecisionFormSet(forms.BaseFormSet):
    def __init__(self, *args, nominations=(), **kwargs):
        self.nominations = list(nominations)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["nomination"] = self.nominations[index] if index is not None and index < len(self.nominations) else None
        return kwargs

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        expected = {n.pk for n in self.nominations}
        given = [form.cleaned_data.get("nomination") for form in self.forms]
        if set(given) != expected or len(given) != len(expected):
            raise ValidationError(_("The list of nominations has changed; reload the page."))


DecisionFormSet = forms.formset_factory(DecisionEntryForm, formset=BaseDecisionFormSet, extra=0)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(submit_label or _("Save"))
