"""Forms of the staff's cycle pages."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _


class CycleCopyForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the new cycle"), min_value=2000, max_value=2999)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
