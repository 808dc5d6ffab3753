"""Why a text matched a query: its matching words marked, and the best fragments of it, for result snippets.

PostgreSQL's ts_headline can only mark the words whose own lexemes are in the query, so a text found through a
base form or a compound part ("päihde" in "päihdetyö") would show nothing marked. Here a word is marked when it
shares a key with a query word: the snowball stem of the word or of one of its Voikko expansions (in any of the
three languages, as the search itself tries them all), or, for the last word of the query, its beginning.
The output marks words with private-use characters, never HTML: the caller escapes the text first (see
library.selectors.render_headline).
"""

import re
import threading
from bisect import bisect_left
from functools import lru_cache

import snowballstemmer

from . import analysis
from .query import ParsedQuery

START = "\ue000"
STOP = "\ue001"

_STEMMERS = {"fi": "finnish", "sv": "swedish", "en": "english"}
_stem_lock = threading.Lock()
_stemmers = {lang: snowballstemmer.stemmer(name) for lang, name in _STEMMERS.items()}

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=200_000)
def word_keys(word: str) -> frozenset[str]:
    """The stems of a word and of its expansions, without diacritics, in every language."""
    forms = {analysis.fold(word), *(analysis.fold(e) for e in analysis.expansions(word))}
    with _stem_lock:
        return frozenset(stemmer.stemWord(form) for form in forms for stemmer in _stemmers.values())


class Matcher:
    """Tells whether a word of a text answers a query."""

    def __init__(self, parsed: ParsedQuery):
        self.keys: set[str] = set()
        self.prefixes: list[str] = []
        for term in parsed.terms:
            if term.negated:
                continue
            for word in _WORD.findall(term.text):
                for spelling in (word, *analysis.restorations(word)):
                    self.keys |= word_keys(spelling)
                if term.prefix:
                    self.prefixes.append(analysis.fold(word))

        # Each word's answer, once per matcher: a page's texts repeat their words, and a query with a prefix
        # folds every word it is asked about (most of a result page's snippets' time, before).
        self._answers: dict[str, bool] = {}

    def __bool__(self) -> bool:
        return bool(self.keys or self.prefixes)

    def matches(self, word: str) -> bool:
        answer = self._answers.get(word)
        if answer is None:
            answer = self._answers[word] = self._matches(word)
        return answer

    def _matches(self, word: str) -> bool:
        if word_keys(word) & self.keys:
            return True
        if not self.prefixes:  # folding every word of a page's texts cost two thirds of its snippets' time
            return False
        folded = _folded(word)
        return any(folded.startswith(prefix) for prefix in self.prefixes)


# The words of the library's texts, folded once per process (as word_keys keeps their stems).
_folded = lru_cache(maxsize=200_000)(analysis.fold)


def mark(text: str, matcher: Matcher) -> tuple[str, int]:
    """The whole text with its matching words marked, and how many were."""
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        if matcher.matches(match.group(0)):
            count += 1
            return f"{START}{match.group(0)}{STOP}"
        return match.group(0)

    return _WORD.sub(replace, text), count


def snippet(text: str, matcher: Matcher, *, words: int = 30, fragments: int = 2, delimiter: str = " … ") -> str:
    """Up to `fragments` windows of about `words` words with the most matches, in text order, marked; the
    beginning of the text when nothing in it matches."""
    # The words as the regex found them (a tuple per word with its offsets cost a tenth of the snippets' time);
    # only the words of the windows shown are cut out.
    spans = list(_WORD.finditer(text))
    if not spans:
        return ""
    matches = matcher.matches
    hits = [i for i, word in enumerate(spans) if matches(word.group())]
    windows: list[tuple[int, int]] = []
    remaining = list(hits)
    while remaining and len(windows) < fragments:
        # The window starting a few words before a hit that holds the most hits not yet shown (the first such).
        # `remaining` is in text order, so a window's hits are counted by two binary searches: counted one by
        # one, a text with hundreds of hits cost milliseconds per card.
        best = max(remaining, key=lambda h: (bisect_left(remaining, h - 3 + words) - bisect_left(remaining, h - 3), -h))
        start = max(0, best - 3)
        end = min(len(spans) - 1, start + words - 1)
        windows.append((start, end))
        remaining = [x for x in remaining if not start <= x <= end]
    if not windows:
        windows = [(0, min(words, len(spans)) - 1)]
    windows.sort()
    hit_set = set(hits)
    pieces = [_cut(text, spans, start, end, hit_set) for start, end in windows]
    lead = "" if windows[0][0] == 0 else "… "
    tail = "" if windows[-1][1] == len(spans) - 1 else " …"
    return lead + delimiter.join(pieces) + tail


def _cut(text: str, spans: list[re.Match], start: int, end: int, hits: set[int]) -> str:
    out = []
    position = spans[start].start()
    for i in range(start, end + 1):
        s, e = spans[i].span()
        out.append(text[position:s])
        out.append(f"{START}{text[s:e]}{STOP}" if i in hits else text[s:e])
        position = e
    if end == len(spans) - 1:
        out.append(text[position:])
    return "".join(out).strip()
