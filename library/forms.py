"""The library's search form: a GET form, so that every search and filter combination has a shareable URL."""

from html import escape

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.forms.utils import flatatt
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .selectors import FACETS, MAX_QUERY_LENGTH, LibraryFilters, clean_search_text, filter_options


class SearchTextField(forms.CharField):
    """PostgreSQL refuses NUL characters; a pasted one is dropped rather than made the visitor's problem."""

    def to_python(self, value):
        return clean_search_text(super().to_python(value))


class CompactSelect(forms.Select):
    """A select whose options are written here rather than through Django's template per option: with the
    municipalities' 300 options and the other filters' that template cost a third of the library page's time.
    The same markup (attributes, `selected`), for choices without groups."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "form-select", **(attrs or {})}, choices)

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        # Its field has normalised them already (forms.ChoiceField's setter): normalising the 300 municipalities
        # again, twice per request, cost a millisecond.
        self._choices = list(value)

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        selected = set(self.format_value(value))
        # html.escape per option: format_html's machinery per option costs as much as the template did.
        options = "".join(
            f'<option value="{escape(str(option))}"{" selected" if str(option) in selected else ""}>'
            f"{escape(str(label))}</option>"
            for option, label in self.choices
        )
        return mark_safe(f'<select name="{escape(name)}"{flatatt(final_attrs)}>{options}</select>')  # noqa: S308 (escaped above)


class LibraryFilterForm(forms.Form):
    """Validates the URL's parameters; a value that is not one of the choices is reported next to its field
    and that filter is ignored, the rest of the search still runs. Rendered by library/_filter_form.html, not
    crispy: its layout machinery cost a third of the library page's rendering."""

    q = SearchTextField(
        label=_("Search"),
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control form-control-lg",
                "autocomplete": "off",
                # static/js/library-search.js turns these into a list of suggestions as one types.
                "data-suggest-url": reverse_lazy("library:suggestions"),
                "aria-autocomplete": "list",
            }
        ),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_(
            "Words are matched in all their forms and parts of compound words too, with or without ä and ö. "
            'Use "quotes" for a phrase and -word to exclude a word.'
        ),
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False, widget=CompactSelect)
    target_group = forms.ChoiceField(label=_("Target group"), required=False, widget=CompactSelect)
    region = forms.ChoiceField(label=_("Region"), required=False, widget=CompactSelect)
    county = forms.ChoiceField(label=_("Wellbeing services county"), required=False, widget=CompactSelect)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False, widget=CompactSelect)
    organisation_kind = forms.ChoiceField(label=_("Organisation type"), required=False, widget=CompactSelect)
    evidence = forms.ChoiceField(label=_("Evidence level"), required=False, widget=CompactSelect)
    result = forms.ChoiceField(label=_("Award result"), required=False, widget=CompactSelect)
    year = forms.TypedChoiceField(
        label=_("Award year"), required=False, coerce=int, empty_value=None, widget=CompactSelect
    )

    def __init__(self, *args, at=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Raw names per filter, without counts; set_counts() adds the counts once the facets are known.
        self.options = filter_options(at)
        for name in FACETS:
            self.fields[name].choices = [("", _("All")), *self.options[name]]

    def facet_fields(self) -> list:
        """The bound fields of the filters, in their order (for the template)."""
        return [self[name] for name in FACETS]

    def filters(self) -> LibraryFilters:
        """The valid part of the input: invalid fields are left out (and reported by the form's errors)."""
        self.is_valid()
        for name in self.errors:  # Bootstrap's mark of a field whose value was not used
            widget = self.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
        return LibraryFilters.from_data(self.cleaned_data)

    def set_counts(self, counts: dict[str, dict], filters: LibraryFilters) -> None:
        """Label each choice with how many practices it gives; the list of municipalities keeps only those with
        practices (and the selected one), the other lists are short and keep every value."""
        for name in FACETS:
            selected = str(getattr(filters, name) or "")
            choices = [("", _("All"))]
            for value, label in self.options[name]:
                n = counts[name].get(str(value), 0)
                if name == "municipality" and n == 0 and str(value) != selected:
                    continue
                choices.append((value, f"{label} ({n})"))
            self.fields[name].choices = choices


class SuggestionForm(forms.Form):
    """The text being typed, for the suggestions page and its fragment."""

    q = SearchTextField(label=_("Search"), required=False, max_length=MAX_QUERY_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_action = reverse_lazy("library:suggestions")
        self.helper.layout = Layout(
            Field("q", type="search", autocomplete="off"),
            StrictButton(_("Show suggestions"), type="submit", css_class="btn-secondary"),
        )
