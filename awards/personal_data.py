"""Finding personal data of private persons in free text: Finnish personal identity codes, mobile phone numbers,
private e-mail addresses, street addresses and first names next to ages ("Matti, 7 v.").

Pure logic, no Django: the child-data safeguard (awards/services/safeguard.py) runs it over every text field and
attachment of a nomination. A Finding holds only where the match is and what kind it is; its text is read from the
scanned string when it must be shown to the nominator or staff, and is never part of the Finding's repr, so that a
log line or an audit entry made from findings cannot carry the value.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date

IDENTITY_CODE = "identity_code"
PHONE = "phone"
EMAIL = "email"
ADDRESS = "address"
NAME_AGE = "name_age"

KINDS = (IDENTITY_CODE, PHONE, EMAIL, ADDRESS, NAME_AGE)


@dataclass(frozen=True, order=True)
class Finding:
    """One match in a text: text[start:end] looks like personal data of `kind`."""

    start: int
    end: int
    kind: str

    def value(self, text: str) -> str:
        return text[self.start : self.end]

    def fingerprint(self, text: str, *, key: bytes) -> str:
        """A keyed hash of the kind and the matched text: the same finding can be recognised again (e.g. one that
        staff have cleared) without storing the value itself."""
        normalised = re.sub(r"\s+", " ", self.value(text)).strip().lower()
        return hmac.new(key, f"{self.kind}:{normalised}".encode(), hashlib.sha256).hexdigest()[:32]


# Personal identity code (henkilötunnus) -----------------------------------------------------------------------
# DDMMYY, the century sign, a three-digit individual number and the check character. The century signs since 2023:
# "+" 1800s; "-" and U, V, W, X, Y the 1900s; A, B, C, D, E, F the 2000s.

_CENTURY = {"+": 1800, "-": 1900, "U": 1900, "V": 1900, "W": 1900, "X": 1900, "Y": 1900}
_CENTURY.update(dict.fromkeys("ABCDEF", 2000))
_CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_IDENTITY_CODE = re.compile(
    r"(?<![0-9A-Za-z])(?P<dd>\d{2})(?P<mm>\d{2})(?P<yy>\d{2})(?P<sign>[-+A-FU-Ya-fu-y])"
    r"(?P<individual>\d{3})(?P<check>[0-9A-Za-z])(?![0-9A-Za-z])"
)


def identity_code_check_character(birth: str, individual: str) -> str:
    """The check character of DDMMYY and the individual number NNN: their nine digits modulo 31."""
    return _CHECK_CHARACTERS[int(birth + individual) % 31]


def is_valid_identity_code(code: str) -> bool:
    """A well-formed code with a real date of birth, an individual number 002–999 and the right check character."""
    match = _IDENTITY_CODE.fullmatch(code.strip())
    return bool(match and _identity_code_ok(match))


def _identity_code_ok(match: re.Match) -> bool:
    century = _CENTURY.get(match["sign"].upper())
    if century is None:
        return False
    try:
        date(century + int(match["yy"]), int(match["mm"]), int(match["dd"]))
    except ValueError:
        return False
    if int(match["individual"]) < 2:
        return False
    birth = match["dd"] + match["mm"] + match["yy"]
    return identity_code_check_character(birth, match["individual"]) == match["check"].upper()


# Phone numbers of private persons: Finnish mobile numbers (040–046, 049, 050), national or international ------
# Organisations' switchboards and service numbers (09…, 010…, 0800…) are not personal and are not matched.

_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?358[\s-]?(?:\(0\)\s?)?|0)(?:4[0-69]|50)(?:[\s-]?\d){5,8}(?![\d])")

# E-mail addresses, except an organisation's shared role addresses (info@, kirjaamo@ …) ------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
ROLE_ADDRESSES = {
    "info",
    "kirjaamo",
    "registry",
    "registratur",
    "neuvonta",
    "asiakaspalvelu",
    "palaute",
    "feedback",
    "toimisto",
    "vaihde",
    "support",
    "tuki",
    "contact",
    "yhteys",
    "posti",
    "office",
    "viestinta",
    "viestintä",
    "communications",
    "kommunikation",
    "noreply",
    "no-reply",
    "webmaster",
    "kansliet",
    "lastensuojelu",
    "perhekeskus",
    "sosiaalipaivystys",
    "sosiaalipäivystys",
}

# Street addresses: a street name with its Finnish, Swedish or English suffix, a house number, and optionally the
# staircase and flat ("A 5", "as. 3") and the postcode with the town ----------------------------------------

_STREET_SUFFIX = (
    r"(?:katu|tie|kuja|polku|raitti|väylä|kaari|rinne|tanhua|aukio|tori|ranta|puistikko|"
    r"gatan|vägen|gränd|stigen|backen|gången|allén|torget)"
)
_ADDRESS = re.compile(
    r"(?<![\w-])[A-ZÅÄÖ][\wåäöÅÄÖ-]*" + _STREET_SUFFIX + r"|(?<![\w-])[A-Z][a-z]+\s(?:Street|Road|Avenue|Lane)",
)
_ADDRESS_TAIL = re.compile(
    r"\s+\d{1,3}(?![\d])(?:\s?[A-Ka-k](?![\w]))?(?:\s?\d{1,3}(?![\d]))?"
    r"(?:\s*(?:as\.?|bst\.?|lgh\.?|flat)\s*\d{1,3})?(?:,?\s+\d{5}(?:\s+[A-ZÅÄÖ][a-zåäö]+)?)?"
)

# First names next to ages -----------------------------------------------------------------------------------

_NAME = r"[A-ZÅÄÖ][a-zåäöéü]{1,20}(?:-[A-ZÅÄÖ][a-zåäöéü]{1,20})?"
_AGE_AFTER = (
    r"(?:v(?![a-zåäö])\.?|vee|-?vuotia\w*|vuotta|vuoden|-?år(?:ig\w*|ing\w*)?(?![a-zåäö])|-?årig\w*|"
    r"years?\s+old|-year-old|y/o|yo(?![a-z])|yrs?(?![a-z]))"
)
_NAME_THEN_AGE = re.compile(r"(?<![\w-])" + _NAME + r"\s*[,(]?\s*\d{1,2}\s*" + _AGE_AFTER)
_AGE_THEN_NAME = re.compile(r"(?<![\w-])\d{1,2}\s*-\s*(?:vuotia\w*|åri\w*|year-old)\s+" + _NAME + r"(?![\w-])")
# Capitalised words that are not names, at the start of a sentence before an age ("Lapset, 7 v." is no one).
_NOT_NAMES = {
    "Lapset",
    "Lapsi",
    "Lapsia",
    "Nuoret",
    "Nuori",
    "Pojat",
    "Poika",
    "Tytöt",
    "Tyttö",
    "Perhe",
    "Perheet",
    "Barn",
    "Barnen",
    "Unga",
    "Children",
    "Child",
    "Youth",
    "Kids",
    "Alle",
    "Yli",
    "Under",
    "Över",
    "Noin",
    "Ikä",
    "Age",
    "Ålder",
}


def _first_word(text: str) -> str:
    return re.split(r"[\s,(]", text, maxsplit=1)[0]


def find_personal_data(text: str) -> list[Finding]:
    """Every match in `text`, in order of position; where matches overlap, the first and longest is kept."""
    if not text:
        return []
    found: list[Finding] = []
    for match in _IDENTITY_CODE.finditer(text):
        if _identity_code_ok(match):
            found.append(Finding(match.start(), match.end(), IDENTITY_CODE))
    found.extend(Finding(m.start(), m.end(), PHONE) for m in _PHONE.finditer(text))
    for match in _EMAIL.finditer(text):
        local = match.group().split("@", 1)[0].lower()
        if local not in ROLE_ADDRESSES:
            found.append(Finding(match.start(), match.end(), EMAIL))
    for match in _ADDRESS.finditer(text):
        tail = _ADDRESS_TAIL.match(text, match.end())
        if tail:
            found.append(Finding(match.start(), tail.end(), ADDRESS))
    for match in _NAME_THEN_AGE.finditer(text):
        if _first_word(match.group()) not in _NOT_NAMES:
            found.append(Finding(match.start(), match.end(), NAME_AGE))
    found.extend(Finding(m.start(), m.end(), NAME_AGE) for m in _AGE_THEN_NAME.finditer(text))
    return _without_overlaps(found)


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept


def excerpt(text: str, finding: Finding, *, context: int = 40) -> tuple[str, str, str]:
    """(before, match, after): the match with a little of its surrounding text, for showing it in place."""
    start = max(0, finding.start - context)
    end = min(len(text), finding.end + context)
    before = ("…" if start > 0 else "") + text[start : finding.start]
    after = text[finding.end : end] + ("…" if end < len(text) else "")
    return before, text[finding.start : finding.end], after
