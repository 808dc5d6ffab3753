"""Forms of nominations: starting one, the nomination itself (a draft may be incomplete), staff decisions."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from awards import files
from awards.models import Nomination
from awards.services.nominations import CONTACT_FIELDS, DESCRIPTION_FIELDS
from practices.models import Municipality, Organisation, WellbeingServicesCounty
from practices.validators import refuse_bidi_controls


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by awards.files when it is stored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class NominationStartForm(forms.Form):
    """Start a nomination for an existing practice (chosen from the search) or a new one (by name)."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Nominating organisation"))
    practice = forms.IntegerField(required=False, widget=forms.HiddenInput)
    practice_name = forms.CharField(
        label=_("Name of the new practice"),
        max_length=200,
        required=False,
        help_text=_("Leave empty when you chose an existing practice from the search."),
    )

    def __init__(self, *args, organisations, practices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        refuse_bidi_controls(self, "practice_name")
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self.practices = practices
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        practice_id = cleaned.get("practice")
        if practice_id:
            cleaned["practice_obj"] = self.practices.filter(pk=practice_id).first()
            if cleaned["practice_obj"] is None:
                raise forms.ValidationError(_("Choose the practice from the search results."))
        elif not (cleaned.get("practice_name") or "").strip():
            self.add_error("practice_name", _("Give the name of the new practice, or choose one from the search."))
        return cleaned


class NominationForm(forms.ModelForm):
    """The whole nomination. Nothing is required here: a draft may be incomplete; completeness is checked on
    submission (awards.services.nominations.nomination_missing_parts) and shown as a checklist."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    new_attachments = MultipleFileField(
        label=_("Add attachments"),
        required=False,
        help_text=_("PDF, Word (DOCX), OpenDocument text (ODT), JPEG or PNG; at most 10 MB each, 5 in all."),
    )

    class Meta:
        model = Nomination
        fields = [*DESCRIPTION_FIELDS, "practice_organisations", "municipalities", "counties", *CONTACT_FIELDS]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "basic_idea": forms.Textarea(attrs={"rows": 5}),
            "target_group_description": forms.Textarea(attrs={"rows": 3}),
            "operating_environment": forms.Textarea(attrs={"rows": 3}),
            "intended_changes": forms.Textarea(attrs={"rows": 3}),
            "achieved_changes": forms.Textarea(attrs={"rows": 4}),
            "evaluation": forms.Textarea(attrs={"rows": 3}),
            "resources": forms.Textarea(attrs={"rows": 3}),
            "adoption_conditions": forms.Textarea(attrs={"rows": 3}),
            "practice_organisations": forms.SelectMultiple(attrs={"size": 6}),
            "municipalities": forms.SelectMultiple(attrs={"size": 8}),
            "counties": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, criteria, justifications: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["version"].required = True
        refuse_bidi_controls(self, "name", "contact_name", "contact_title", "funder")
        self.fields["practice_organisations"].queryset = Organisation.objects.order_by("name")
        self.fields["municipalities"].queryset = Municipality.objects.current().order_by("name_fi")
        self.fields["counties"].queryset = WellbeingServicesCounty.objects.order_by("name_fi")
        self.fields["municipalities"].help_text = _("Hold Ctrl (Cmd on a Mac) to choose several.")
        self.fields["version"].initial = self.instance.version
        self.criteria = list(criteria)
        self.justification_fields = []
        for criterion in self.criteria:
            name = f"criterion_{criterion.pk}"
            self.fields[name] = forms.CharField(
                label=criterion.name,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=criterion.guidance,
                initial=justifications.get(criterion.pk, ""),
                max_length=10000,
            )
            self.justification_fields.append(name)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "version",
            Fieldset(_("The practice"), *DESCRIPTION_FIELDS),
            Fieldset(
                _("Where the practice works"),
                "practice_organisations",
                "municipalities",
                "counties",
            ),
            Fieldset(
                _("Justification per criterion"),
                HTML(
                    format_html(
                        '<p class="form-text">{}</p>',
                        gettext("Tell how the practice meets each criterion of this year."),
                    )
                ),
                *self.justification_fields,
            ),
            Fieldset(_("Contact person"), *CONTACT_FIELDS),
            Fieldset(_("Attachments"), "new_attachments"),
        )

    def clean_new_attachments(self):
        uploads = self.cleaned_data.get("new_attachments") or []
        errors = []
        for upload in uploads:
            try:
                files.check_upload(upload)
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return uploads

    def valid_values(self) -> tuple[dict, dict, dict[int, str]]:
        """What may be saved even when other fields are invalid: (fields, relations, justifications)."""
        cleaned = getattr(self, "cleaned_data", {})
        data = {f: cleaned[f] for f in [*DESCRIPTION_FIELDS, *CONTACT_FIELDS] if f in cleaned}
        # The name of the practice cannot be emptied in the database; an empty name stays as it was.
        if not (data.get("name") or "").strip():
            data.pop("name", None)
        if data.get("language") in {None, ""}:
            data.pop("language", None)
        relations = {
            f: list(cleaned[f]) for f in ["practice_organisations", "municipalities", "counties"] if f in cleaned
        }
        texts = {
            criterion.pk: cleaned[f"criterion_{criterion.pk}"]
            for criterion in self.criteria
            if f"criterion_{criterion.pk}" in cleaned
        }
        return data, relations, texts


class EligibilityForm(forms.Form):
    eligibility = forms.ChoiceField(
        label=_("Eligibility"),
        choices=[
            (Nomination.Eligibility.ELIGIBLE, Nomination.Eligibility.ELIGIBLE.label),
            (Nomination.Eligibility.INELIGIBLE, Nomination.Eligibility.INELIGIBLE.label),
            (Nomination.Eligibility.PENDING, Nomination.Eligibility.PENDING.label),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the nomination is ineligible; the nominator may be told it."),
        max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("eligibility") == Nomination.Eligibility.INELIGIBLE
            and not (cleaned.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Give the reason why the nomination is ineligible."))
        return cleaned


class ExtensionForm(forms.Form):
    until = forms.DateTimeField(
        label=_("Extended until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        help_text=_("Finnish time (Europe/Helsinki)."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
