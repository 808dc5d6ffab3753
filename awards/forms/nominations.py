"""Forms of nominations: starting one, the nomination itself (a draft may be incomplete), staff decisions."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Field, Fieldset, Layout
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from awards import files
from awards.forms.jury import Markup
from awards.models import Nomination
from awards.selectors.nominations import REQUIRED_TEXT_FIELDS
from awards.services.nominations import CONTACT_FIELDS, DESCRIPTION_FIELDS
from practices.localisation import by_name, collated
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
            # Searchable checkbox lists (static/js/picker.js adds the filter box); plain checkboxes without JavaScript.
            "practice_organisations": forms.CheckboxSelectMultiple,
            "municipalities": forms.CheckboxSelectMultiple,
            "counties": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, criteria, justifications: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["version"].required = True
        refuse_bidi_controls(self, "name", "contact_name", "contact_title", "funder")
        self.fields["practice_organisations"].queryset = Organisation.objects.order_by(collated("name"), "pk")
        self.fields["municipalities"].queryset = by_name(Municipality.objects.current())
        self.fields["counties"].queryset = by_name(WellbeingServicesCounty.objects.all())
        self.fields["municipalities"].help_text = _(
            "Choose every municipality where the practice is in use. Type in the filter box to find one."
        )
        self.fields["counties"].help_text = _("Choose the counties, if the practice works county-wide.")
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
        self.valid_uploads = []  # the files that passed their checks, stored even when another one failed
        self._mark_required()
        self._show_limits()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "version",
            Fieldset(_("The practice"), *DESCRIPTION_FIELDS),
            Fieldset(
                _("Where the practice works"),
                Markup(
                    format_html(
                        '<p class="form-text">{}</p>',
                        gettext("Choose at least one municipality or wellbeing services county."),
                    )
                ),
                Field("practice_organisations", wrapper_class="picker"),
                Field("municipalities", wrapper_class="picker"),
                Field("counties", wrapper_class="picker"),
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

    def _mark_required(self) -> None:
        """Mark what a submission needs (a draft may still lack it): a visible star and, for screen readers, words."""
        needed = [*REQUIRED_TEXT_FIELDS, *self.justification_fields]
        for name in needed:
            field = self.fields[name]
            field.label = format_html(
                '{} <span class="required-marker" aria-hidden="true">*</span>'
                '<span class="visually-hidden"> ({})</span>',
                field.label,
                gettext("required before submitting"),
            )

    def _show_limits(self) -> None:
        """Say each field's limit; static/js/nomination.js counts against it as one types. No maxlength attribute:
        a browser would cut pasted text silently, while the server says what is too long and keeps the text."""
        for field in self.fields.values():
            limit = getattr(field, "max_length", None)
            if not limit or not isinstance(field.widget, forms.Textarea | forms.TextInput):
                continue
            field.widget.attrs.pop("maxlength", None)
            field.widget.attrs["data-maxlength"] = str(limit)
            note = ngettext("At most %(limit)d character.", "At most %(limit)d characters.", limit) % {"limit": limit}
            field.help_text = format_html("{} {}", field.help_text, note) if field.help_text else note

    def clean_new_attachments(self):
        uploads = self.cleaned_data.get("new_attachments") or []
        errors = []
        for upload in uploads:
            try:
                files.check_upload(upload)
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
            else:
                self.valid_uploads.append(upload)
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
        kwargs.setdefault("auto_id", "id_eligibility_%s")  # the extension form on the same page has a reason too
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
        kwargs.setdefault("auto_id", "id_extension_%s")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
