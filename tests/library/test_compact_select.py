"""The library's compact select writes the same markup as Django's own select, without its template per option."""

import pytest
from django import forms
from django.test.html import parse_html

from library.forms import CompactSelect, LibraryFilterForm

pytestmark = pytest.mark.django_db


def _normalised(html):
    # Compared as HTML: the same elements, attributes (in any order) and text.
    return parse_html(str(html))


@pytest.mark.parametrize(
    "data",
    [{}, {"theme": "perhetyo", "year": "2017"}, {"municipality": "091", "region": "<b>"}, {"evidence": "ei"}],
)
def test_compact_select_writes_what_django_select_writes(data):
    form = LibraryFilterForm(data)
    form.is_valid()
    for name, field in form.fields.items():
        if not isinstance(field.widget, CompactSelect):
            continue
        compact = _normalised(form[name])
        field.widget = forms.Select(attrs=field.widget.attrs, choices=field.choices)
        assert compact == _normalised(form[name]), name
