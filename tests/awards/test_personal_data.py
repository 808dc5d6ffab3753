"""The personal-data detector: identity codes (valid, wrong check character, near misses, every century sign of
2023), private phone numbers and e-mail addresses, street addresses, names next to ages."""

import pytest

from awards.personal_data import (
    ADDRESS,
    EMAIL,
    IDENTITY_CODE,
    NAME_AGE,
    PHONE,
    Finding,
    excerpt,
    find_personal_data,
    identity_code_check_character,
    is_valid_identity_code,
)

CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def code(birth: str, sign: str, individual: str) -> str:
    """A code with its check character computed here, independently of the module."""
    return f"{birth}{sign}{individual}{CHECK[int(birth + individual) % 31]}"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.value(text)) for f in find_personal_data(text)]


# Identity codes -------------------------------------------------------------------------------------------------

CENTURY_SIGNS = [("+", "1852"), ("-", "1952"), ("U", "1952"), ("V", "1952"), ("W", "1952"), ("X", "1952")]
CENTURY_SIGNS += [("Y", "1952"), ("A", "2005"), ("B", "2005"), ("C", "2005"), ("D", "2005"), ("E", "2005")]
CENTURY_SIGNS += [("F", "2005")]


@pytest.mark.parametrize(("sign", "year"), CENTURY_SIGNS)
def test_identity_code_valid_with_every_century_sign(sign, year):
    valid = code(f"1310{year[2:]}", sign, "308")
    assert is_valid_identity_code(valid)
    assert kinds(f"Lapsen tunnus on {valid}, merkitty.") == [(IDENTITY_CODE, valid)]


@pytest.mark.parametrize(
    "valid",
    ["131052-308T", "010594Y9021", "010594Y9032", "020502E902X", "020502A902X"],
)
def test_identity_code_known_valid_examples(valid):
    assert is_valid_identity_code(valid)
    assert kinds(valid) == [(IDENTITY_CODE, valid)]


def test_identity_code_check_character_matches_the_rule():
    assert identity_code_check_character("131052", "308") == "T"
    assert identity_code_check_character("010594", "902") == "1"


@pytest.mark.parametrize("valid", ["131052-308T", code("010101", "A", "123"), code("311299", "Y", "950")])
def test_identity_code_every_wrong_check_character_is_not_a_code(valid):
    for wrong in CHECK:
        if wrong == valid[-1]:
            continue
        candidate = valid[:-1] + wrong
        assert not is_valid_identity_code(candidate), candidate
        assert find_personal_data(f"Viite {candidate} tässä") == [], candidate


@pytest.mark.parametrize(
    "near_miss",
    [
        "131052G308T",  # G is no century sign
        "131052Z308T",  # nor is Z
        "131052/308T",
        "310252-308T",  # 31 February does not exist (the check character fits the digits)
        "300200A9029",  # 30 February 2000
        "131352-308T",  # month 13
        "001052-308T",  # day 0
        "131052-308",  # no check character
        "131052-30T",  # individual number too short
        "31052-308T",  # date too short
        "1131052-308T",  # part of a longer number
        "131052-308TX",  # part of a longer code
        "X131052-308T",
        "131052-0016",  # individual numbers 000 and 001 are not given
        "131052 - 308T",
    ],
)
def test_identity_code_near_misses_are_not_found(near_miss):
    assert not is_valid_identity_code(near_miss)
    assert [f for f in find_personal_data(near_miss) if f.kind == IDENTITY_CODE] == []


def test_identity_code_near_misses_computed_to_fit_the_check():
    # Right check character, wrong century sign or impossible date: still not a code.
    assert not is_valid_identity_code(code("310252", "G", "308"))
    assert not is_valid_identity_code(code("290201", "A", "902"))  # 2001 is not a leap year
    assert is_valid_identity_code(code("290204", "A", "902"))  # 2004 is


def test_identity_code_in_lower_case_is_still_found():
    assert kinds("tunnus 020502e902x.") == [(IDENTITY_CODE, "020502e902x")]


def test_identity_codes_several_and_punctuation():
    text = "Tunnukset: 131052-308T, (010594Y9021) ja 020502E902X."
    assert [value for _kind, value in kinds(text)] == ["131052-308T", "010594Y9021", "020502E902X"]


def test_identity_code_reference_numbers_are_not_codes():
    for text in ["LST-2025-0012", "Diaarinumero 123/2024", "Vuonna 2019 malli levisi", "puh. 09 123 456"]:
        assert find_personal_data(text) == [], text


# Phones, e-mails, addresses, names with ages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone", ["040 123 4567", "0401234567", "050-123 4567", "+358 40 123 4567", "+358401234567", "00358 50 1234567"]
)
def test_private_mobile_numbers_are_found(phone):
    assert kinds(f"Soita {phone} illalla") == [(PHONE, phone)]


@pytest.mark.parametrize("not_private", ["09 816 21", "010 123 4567", "0800 12345", "029 123 456", "040 12", "2040123"])
def test_switchboards_service_numbers_and_short_numbers_are_not_found(not_private):
    assert [f for f in find_personal_data(f"Numero {not_private}.") if f.kind == PHONE] == []


def test_private_email_found_role_address_not():
    text = "Kirjoita info@vantaa.fi tai kirjaamo@hel.fi, ei maija.meikalainen@gmail.com eikä pia@kunta.fi."
    assert kinds(text) == [(EMAIL, "maija.meikalainen@gmail.com"), (EMAIL, "pia@kunta.fi")]


@pytest.mark.parametrize(
    "address",
    ["Koulukatu 3", "Koulukatu 3 A 5", "Mannerheimintie 12 B 34, 00100 Helsinki", "Kirkkotie 7 as. 2", "Storgatan 5"],
)
def test_street_addresses_are_found(address):
    assert kinds(f"Perhe asuu osoitteessa {address} nyt.") == [(ADDRESS, address)]


def test_street_names_without_a_number_are_not_addresses():
    assert find_personal_data("Toiminta on Koulukadun varrella, lähellä Mannerheimintietä.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Matti, 7 v.",
        "Matti (7 v)",
        "Matti 7-vuotias",
        "Matti, 7v",
        "7-vuotias Matti",
        "Liisa, 12 år",
        "Emma, 9 years old",
    ],
)
def test_names_next_to_ages_are_found(text):
    found = kinds(f"Kertomus: {text} kävi.")
    assert [kind for kind, _value in found] == [NAME_AGE], found


@pytest.mark.parametrize(
    "text", ["Lapset, 7 v. kävivät", "7-vuotias poika kävi", "Matti kävi 7 viikkoa", "Vuonna 2019"]
)
def test_ages_without_a_name_are_not_found(text):
    assert [f for f in find_personal_data(text) if f.kind == NAME_AGE] == []


def test_a_finding_never_shows_its_value_in_repr():
    text = "Tunnus 131052-308T"
    (finding,) = find_personal_data(text)
    assert "131052" not in repr(finding)
    assert "131052" not in str(finding)
    assert finding == Finding(7, 18, IDENTITY_CODE)


def test_fingerprint_is_keyed_and_stable():
    text = "Tunnus 131052-308T"
    (finding,) = find_personal_data(text)
    assert finding.fingerprint(text, key=b"a") == finding.fingerprint("x 131052-308T y"[:0] + text, key=b"a")
    assert finding.fingerprint(text, key=b"a") != finding.fingerprint(text, key=b"b")
    assert "131052" not in finding.fingerprint(text, key=b"a")


def test_excerpt_marks_the_finding_with_its_context():
    text = "x" * 100 + " 131052-308T " + "y" * 100
    (finding,) = find_personal_data(text)
    before, match, after = excerpt(text, finding)
    assert match == "131052-308T"
    assert before.startswith("…")
    assert after.endswith("…")


def test_empty_and_huge_texts():
    assert find_personal_data("") == []
    assert find_personal_data(None) == []
    huge = ("Tavallista tekstiä ilman tietoja. " * 3000) + "131052-308T"
    assert kinds(huge)[-1] == (IDENTITY_CODE, "131052-308T")
