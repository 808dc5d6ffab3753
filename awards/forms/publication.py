"""Forms of the decision and the publication, rendered with crispy-forms (bootstrap5)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.image_validation import validate_image_content
from awards.models import DecisionEntry


def _helper(submit_label=None, *, form_tag=True) -> FormHelper:
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

    def __init__(self, *args, nomination=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.nomination = nomination
        self.helper = _helper(form_tag=False)
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
        self.helper = _helper(submit_label or _("Save"))


class AnnouncementForm(forms.Form):
    title_fi = forms.CharField(label=_("Title in Finnish"), max_length=200)
    text_fi = forms.CharField(label=_("Public text in Finnish"), widget=forms.Textarea(attrs={"rows": 6}))
    title_sv = forms.CharField(
        label=_("Title in Swedish"), max_length=200, required=False, help_text=_("Required before publication.")
    )
    text_sv = forms.CharField(
        label=_("Public text in Swedish"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("Required before publication."),
    )
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    text_en = forms.CharField(
        label=_("Public text in English"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    announcement_on = forms.DateField(
        label=_("Date of the announcement"),
        required=False,
        # A date input takes only ISO dates; the localised default (5.2.2027) would show as empty and be lost.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    occasion_fi = forms.CharField(label=_("Occasion in Finnish"), max_length=200, required=False)
    occasion_sv = forms.CharField(label=_("Occasion in Swedish"), max_length=200, required=False)
    occasion_en = forms.CharField(label=_("Occasion in English"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the announcement"))


class AnnouncementImageForm(forms.Form):
    image = forms.ImageField(
        label=_("Photo or logo"), help_text=_("JPEG, PNG or WebP, at most 5 MB. It is shown on the public page.")
    )
    alt_fi = forms.CharField(
        label=_("Alternative text in Finnish"),
        max_length=250,
        help_text=_("What the image shows, for those who cannot see it."),
    )
    alt_sv = forms.CharField(label=_("Alternative text in Swedish"), max_length=250, required=False)
    alt_en = forms.CharField(label=_("Alternative text in English"), max_length=250, required=False)
    caption = forms.CharField(label=_("Caption or photo credit"), max_length=250, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add the image"))

    def clean_image(self):
        image = self.cleaned_data["image"]
        validate_image_content(image)
        return image


class PublishForm(forms.Form):
    WHEN_CHOICES = [("now", _("Publish now")), ("scheduled", _("Schedule for a moment"))]
    when = forms.ChoiceField(label=_("When"), choices=WHEN_CHOICES, widget=forms.RadioSelect, initial="now")
    at = forms.DateTimeField(
        label=_("Moment of publication"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        help_text=_("Finnish time. Nothing of the result is public before this moment."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Publish the result"))

    def clean(self):
        data = super().clean()
        if data.get("when") == "scheduled":
            at = data.get("at")
            if at is None:
                self.add_error("at", _("Give the moment of publication."))
            elif at <= timezone.now():
                self.add_error("at", _("Choose a moment in the future, or publish now."))
        else:
            data["at"] = None
        return data
