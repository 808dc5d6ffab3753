"""Template helpers of the practice library."""

from django import template

from library.selectors import OUTCOME_LABELS

register = template.Library()


@register.filter
def outcome_label(outcome: str) -> str:
    """The visitor-facing name of a nomination's outcome: winner, honourable mention, finalist or nominated."""
    return OUTCOME_LABELS.get(outcome, outcome)
