"""The jury tables' `score` filter writes every number exactly as `floatformat:2|default:"–"` does, in each
language, however the value was computed."""

import random
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from awards.templatetags.scores import score


def values():
    rng = random.Random(2026)  # noqa: S311 (reproducible test data)
    fixed = [0, 1, 5, -1, 0.0, -0.0, 0.004, -0.004, -0.005, 0.005, 2.675, 1.005, 1.115, -2.675, 3.3125, 10 / 3]
    fixed += [Decimal("2.5"), Decimal("-0.001"), 31 / 9, 13 / 3, 123.456, 4.999, -4.995, 1e-9]
    drawn = [rng.uniform(-5, 5) for _ in range(2000)] + [round(rng.uniform(0, 5), 3) for _ in range(2000)]
    return fixed + drawn


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_score_writes_what_floatformat_writes(language):
    with translation.override(language):
        differing = [(v, score(v), floatformat(v, 2)) for v in values() if score(v) != (floatformat(v, 2) or "–")]
        assert differing == []
        assert score(None) == "–"
        assert score(2.5) == ("2.50" if language == "en" else "2,50")
