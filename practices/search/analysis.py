"""Finnish morphology for search: each word's base forms and compound parts, from Voikko.

Finnish is mostly compounds ("päihdetyö", "sijaishuollossa"), which PostgreSQL's snowball stemmer neither splits
nor lemmatises. Voikko (Debian's libvoikko1 and voikko-fi, with the libvoikko Python binding) gives every word's
base form and the structure of its compound, so that "päihde" finds "päihdetyö" and "lastensuojelu" finds
"lastensuojelutyö". Without Voikko the service still runs: the words themselves, stemmed by snowball, are searched,
and /healthz and the log say so.

Everything here is a pure function of its text (memoised per process), so indexing and querying agree.
"""

import itertools
import logging
import re
import threading
import unicodedata
from functools import lru_cache

from django.conf import settings

logger = logging.getLogger(__name__)

VOIKKO = "voikko"
SNOWBALL = "snowball"

# Letters, with inner hyphens or apostrophes ("SOS-kumppanuusmalli", "Lupa auttaa!"); digits and punctuation
# separate words. Compound words joined by a hyphen are analysed as a whole and part by part.
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
MAX_WORD_LENGTH = 60

# Diacritics restored when a query word is unknown: "perhetyo" -> "perhetyö". At most 2**6 spellings are tried.
_RESTORABLE = {"a": "ä", "o": "ö"}
_MAX_RESTORED_LETTERS = 6


class _VoikkoHandle:
    """One Voikko instance for the process; libvoikko's instances are not thread-safe, so calls take a lock."""

    def __init__(self):
        self._lock = threading.Lock()
        self._voikko = None
        self._loaded = False
        self.problem = ""

    def get(self):
        if not self._loaded:
            with self._lock:
                if not self._loaded:
                    self._voikko, self.problem = _load_voikko()
                    self._loaded = True
        return self._voikko

    def analyze(self, word: str) -> list[dict]:
        voikko = self.get()
        if voikko is None:
            return []
        with self._lock:
            return voikko.analyze(word)

    def spell(self, word: str) -> bool:
        voikko = self.get()
        if voikko is None:
            return False
        with self._lock:
            return bool(voikko.spell(word))

    def reset(self) -> None:
        """Forget the loaded instance (tests make Voikko unavailable and then available again)."""
        with self._lock:
            if self._voikko is not None:
                self._voikko.terminate()
            self._voikko, self._loaded, self.problem = None, False, ""
        _analyses.cache_clear()
        expansions.cache_clear()
        restorations.cache_clear()


def _load_voikko():
    """(instance, "") when Voikko and its Finnish dictionary load, else (None, the reason) with a warning."""
    dictionary = getattr(settings, "VOIKKO_DICTIONARY", "fi")
    try:
        import libvoikko  # noqa: PLC0415 (optional at run time: the service falls back without it)

        return libvoikko.Voikko(dictionary), ""
    except (ImportError, OSError, AttributeError) as error:
        problem = f"the Voikko library is not installed ({error})"
    except Exception as error:
        problem = f"Voikko could not load the {dictionary!r} dictionary ({error})"
    logger.warning(
        "Finnish search runs without Voikko: %s. Words are matched by the snowball stemmer only, so compounds "
        "are not split; install Debian's libvoikko1 and voikko-fi (make test and make run do it as root).",
        problem,
    )
    return None, problem


voikko = _VoikkoHandle()


def analyser_name() -> str:
    """ "voikko", or "snowball" when Voikko is missing (and Finnish is matched by the stemmer alone)."""
    return VOIKKO if voikko.get() is not None else SNOWBALL


def analyser_status() -> dict:
    """What /healthz tells about the Finnish analysis."""
    name = analyser_name()
    status = {"analyser": name}
    if name != VOIKKO:
        status["warning"] = f"Finnish search without Voikko: {voikko.problem}"
    return status


def fold(text: str) -> str:
    """Lower case without diacritics, as PostgreSQL's unaccent does: "Österbotten" -> "osterbotten"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return [w for w in WORD.findall(text or "") if len(w) <= MAX_WORD_LENGTH]


@lru_cache(maxsize=200_000)
def _analyses(word: str) -> tuple[tuple[str, str], ...]:
    """(base form, structure) of each of Voikko's readings of the word."""
    return tuple(
        (reading["BASEFORM"], reading.get("STRUCTURE", ""))
        for reading in voikko.analyze(word)
        if reading.get("BASEFORM")
    )


def _compound_parts(baseform: str, structure: str) -> list[str]:
    """The parts of a compound's base form, split where Voikko's STRUCTURE marks a part boundary ("=").

    STRUCTURE describes the inflected word; only the last part inflects, so the lengths of the others are the
    same in the base form: päihdehuollon, "=pppppp=ppppppp" -> päihde + huolto."""
    lengths = [len(piece) for piece in structure.split("=") if piece]
    if len(lengths) < 2 or sum(lengths[:-1]) >= len(baseform):
        return [baseform]
    parts, start = [], 0
    for length in lengths[:-1]:
        parts.append(baseform[start : start + length])
        start += length
    parts.append(baseform[start:])
    return [part.strip("-") for part in parts if part.strip("-")]


@lru_cache(maxsize=200_000)
def expansions(word: str) -> tuple[str, ...]:
    """Lower-case base forms of the word and of its compound's parts, without the word itself.

    "lastensuojelutyötä" -> lastensuojelutyö, lasten, lapsi, suojelu, työ, lastensuojelu, suojelutyö: the
    parts (non-final ones also in their own base form, "lasten" -> lapsi), and of a compound of three or more
    parts the compounds it starts and ends with. Empty when Voikko is missing or does not know the word."""
    found: list[str] = []
    for baseform, structure in _analyses(word):
        found.append(baseform)
        parts = _compound_parts(baseform, structure)
        if len(parts) < 2:
            continue
        for i, part in enumerate(parts):
            found.append(part)
            if i < len(parts) - 1:
                # Non-final parts stand in their compound form ("lasten", "työn"): add their own base forms.
                found.extend(base for base, _structure in _analyses(part))
        for cut in range(2, len(parts)):
            for piece in ("".join(parts[:cut]), "".join(parts[len(parts) - cut :])):
                found.append(piece)
                found.extend(base for base, _structure in _analyses(piece))
    if "-" in word:
        for piece in word.split("-"):
            if len(piece) > 1:
                found.append(piece)
                found.extend(expansions(piece))
    lowered = word.lower()
    return tuple(dict.fromkeys(f.lower() for f in found if len(f) > 1 and f.lower() != lowered))


def is_finnish(word: str) -> bool:
    """Whether Voikko knows the word (always False without Voikko)."""
    return bool(_analyses(word))


def base_forms(word: str) -> tuple[str, ...]:
    """The word's lower-case base forms by Voikko ("perheille" -> perhe); empty when unknown or without Voikko."""
    return tuple(dict.fromkeys(base.lower() for base, _structure in _analyses(word)))


def compound_parts(word: str) -> list[list[str]]:
    """For a compound query word, its parts (each with its base forms): "päihdehuolto" -> [[päihde], [huolto]].

    Empty for a simple word. A query compound also matches a text that has all its parts, e.g. a text about
    "päihdetyö" in "avohuolto" for "päihdehuolto"."""
    for baseform, structure in _analyses(word):
        parts = _compound_parts(baseform, structure)
        if len(parts) > 1:
            return [
                list(dict.fromkeys([part.lower(), *(base.lower() for base, _s in _analyses(part))])) for part in parts
            ]
    return []


@lru_cache(maxsize=50_000)
def restorations(word: str) -> tuple[str, ...]:
    """Spellings of an unknown word with its missing ä and ö put back, that Voikko knows: "perhetyo" -> perhetyö.

    Typed on phones and foreign keyboards, Finnish loses its diacritics; unaccent folds the texts the same way,
    but the word must be known to be lemmatised and split."""
    if voikko.get() is None or voikko.spell(word):
        return ()
    positions = [i for i, c in enumerate(word.lower()) if c in _RESTORABLE][:_MAX_RESTORED_LETTERS]
    found = []
    for flags in itertools.product((False, True), repeat=len(positions)):
        if not any(flags):
            continue
        letters = list(word.lower())
        for position, restore in zip(positions, flags, strict=True):
            if restore:
                letters[position] = _RESTORABLE[letters[position]]
        candidate = "".join(letters)
        if voikko.spell(candidate):
            found.append(candidate)
    return tuple(found)


def analysed_text(text: str) -> str:
    """The expansions of every word of a text, in order, as one string for to_tsvector: what the text's words
    are beside their own forms (which PostgreSQL indexes from the text itself)."""
    return " ".join(expansion for word in words(text) for expansion in expansions(word))


def analysed_names(text: str) -> str:
    """The base forms of the words of names ("Vantaan kaupunki" -> vantaa): names are matched as names, not by
    their parts, so that "perhe" does not find every practice whose target group is "Lapsiperheet"."""
    lowered = {w.lower() for w in words(text)}
    return " ".join(dict.fromkeys(b for w in words(text) for b in base_forms(w) if b not in lowered))
