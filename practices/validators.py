"""Validators for Finnish identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BUSINESS_ID_RE = re.compile(r"^(\d{7})-(\d)$")
BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id_check_digit(digits: str) -> int | None:
    """The check digit of a seven-digit business ID body; None when no valid digit exists (remainder 1)."""
    remainder = sum(int(d) * w for d, w in zip(digits, BUSINESS_ID_WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def validate_business_id(value: str) -> None:
    """Validate a Finnish business ID (Y-tunnus), e.g. 0204819-8, including its check digit."""
    match = BUSINESS_ID_RE.match(value or "")
    if not match:
        raise ValidationError(
            _("Enter the business ID in the form 1234567-8."), code="invalid_format", params={"value": value}
        )
    body, check = match.groups()
    if business_id_check_digit(body) != int(check):
        raise ValidationError(
            _("The business ID %(value)s has a wrong check digit."),
            code="invalid_check_digit",
            params={"value": value},
        )


# Unicode's embedding, override and isolate controls (LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI): invisible, they
# make a name read differently from what it is ("Trojan source"). The marks LRM and RLM stay allowed: names in
# right-to-left scripts may need them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def validate_no_bidi_controls(value: str) -> None:
    """Refuse text-direction control characters in a name."""
    if value and not BIDI_CONTROLS.isdisjoint(value):
        raise ValidationError(
            _(
                "Remove the invisible text-direction control characters: they can make the text read differently "
                "from what it is."
            ),
            code="bidi_control",
        )


def refuse_bidi_controls(form, *names: str) -> None:
    """Add validate_no_bidi_controls to the named fields of a form that has them."""
    for name in names:
        field = form.fields.get(name)
        if field is not None and validate_no_bidi_controls not in field.validators:
            field.validators.append(validate_no_bidi_controls)
