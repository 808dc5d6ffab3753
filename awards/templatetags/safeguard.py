"""Template filters of the child-data safeguard."""

from django import template
from django.utils.translation import gettext as _

from awards.personal_data import find_personal_data

register = template.Library()


@register.filter
def without_personal_data(value) -> str:
    """The text with whatever looks like personal data replaced by a placeholder: for e-mails, which must never
    carry a finding's value."""
    text = "" if value is None else str(value)
    for finding in reversed(find_personal_data(text)):
        text = f"{text[: finding.start]}[{_('removed')}]{text[finding.end :]}"
    return text
