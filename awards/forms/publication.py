"""Forms of the publication: the announcement, its images and publishing, rendered with crispy-forms."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.forms.decisions import submit_helper
from awards.image_validation import validate_image_content


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
        self.helper = submit_helper(_("Save the announcement"))


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
        self.helper = submit_helper(_("Add the image"))

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
        self.helper = submit_helper(_("Publish the result"))

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
