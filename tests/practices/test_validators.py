"""The Finnish business ID (Y-tunnus) validator."""

import pytest
from django.core.exceptions import ValidationError

from practices.validators import business_id_check_digit, validate_business_id


@pytest.mark.parametrize("value", ["0204819-8", "1572860-0", "0201256-6"])
def test_business_id_valid(value):
    validate_business_id(value)


@pytest.mark.parametrize("value", ["0204819-7", "1572860-1", "0201256-0"])
def test_business_id_wrong_check_digit(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_business_id(value)
    assert excinfo.value.code == "invalid_check_digit"


@pytest.mark.parametrize("value", ["", "204819-8", "02048198", "0204819-88", "abcdefg-h", "0204819 8", " 0204819-8"])
def test_business_id_malformed(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_business_id(value)
    assert excinfo.value.code == "invalid_format"


def test_business_id_check_digit_computed_by_hand():
    # Weights 7,9,10,5,8,4,2: 0000001 → 2, 11 - 2 = 9; 1000000 → 7, 11 - 7 = 4.
    assert business_id_check_digit("0000001") == 9
    assert business_id_check_digit("1000000") == 4


def test_business_id_remainder_one_is_never_valid():
    # 0000006 → 12 ≡ 1 (mod 11): no check digit exists, so every ID with this body is refused.
    assert business_id_check_digit("0000006") is None
    for digit in range(10):
        with pytest.raises(ValidationError):
            validate_business_id(f"0000006-{digit}")
