"""The snippets' choice of fragments: the windows holding the most matching words, as their definition says."""

import random

from practices.search import highlight


class WordsMatcher:
    """A matcher of a fixed set of words (highlight.snippet asks only whether a word matches)."""

    def __init__(self, words: set[str]):
        self.words = words

    def matches(self, word: str) -> bool:
        return word in self.words


def windows_by_definition(hits: list[int], words: int, fragments: int) -> list[tuple[int, int]]:
    """The fragments' word windows as highlight.snippet defines them, counted one hit at a time."""
    windows, remaining = [], list(hits)
    while remaining and len(windows) < fragments:
        best = max(remaining, key=lambda h: (sum(1 for x in remaining if h - 3 <= x < h - 3 + words), -h))
        start = best - 3 if best >= 3 else 0
        windows.append((start, start + words - 1))
        remaining = [x for x in remaining if not start <= x <= start + words - 1]
    return windows


def test_snippet_shows_the_windows_with_most_matches_on_random_texts():
    rng = random.Random(13)  # noqa: S311 (test data)
    vocabulary = ["perhe", "lapsi", "koulu", "tuki", "arki", "neuvola", "ryhmä", "malli"]
    for _case in range(300):
        n = rng.randint(1, 400)
        # Sometimes a word on almost every position: the texts where counting hit by hit was slow.
        hit_rate = rng.choice([0.01, 0.1, 0.5, 0.95])
        text_words = ["perhe" if rng.random() < hit_rate else rng.choice(vocabulary[1:]) for _ in range(n)]
        text = " ".join(text_words)
        words, fragments = rng.choice([(30, 2), (5, 3), (12, 1)])
        hits = [i for i, word in enumerate(text_words) if word == "perhe"]

        shown = highlight.snippet(text, WordsMatcher({"perhe"}), words=words, fragments=fragments)

        if not hits:
            assert highlight.START not in shown
            assert shown == " ".join(text_words[:words]) + (" …" if n > words else "")
            continue
        expected = sorted((start, min(end, n - 1)) for start, end in windows_by_definition(hits, words, fragments))
        pieces = [
            " ".join(
                f"{highlight.START}{w}{highlight.STOP}" if w == "perhe" else w for w in text_words[start : end + 1]
            )
            for start, end in expected
        ]
        lead = "" if expected[0][0] == 0 else "… "
        tail = "" if expected[-1][1] == n - 1 else " …"
        assert shown == lead + " … ".join(pieces) + tail, (n, hit_rate, words, fragments)
