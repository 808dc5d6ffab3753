"""The library's facet counts from an index in memory, built once per counted public change and process.

The index holds, for every filter value, the set of public practices that have it, as a bitset (a Python int, one
bit per public practice): the facet keys of their links (practices/search/index.py facet_keys), their evidence
levels, and the years and outcomes of their public nominations (and those per practice, newest first, which the
library's cards show: library.selectors.as_cards). The counts of a search are then a few hundred
intersections of bitsets with the practices that match its text, in a millisecond or two, where the SQL of
library.selectors.facet_sql reads every key of every matching practice again (tens of milliseconds for a filtered
page of a large library, more for a broad search). Only the practices matching the text are read from the
database, as ids.

library.selectors.indexed_counts counts from it what facet_sql counts, to the row (tests/library/
test_facet_index.py compares both on random libraries and searches); facet_sql stays the answer where the index
cannot be: a moment other than now (`at`, staff
previews), and a transaction that has itself changed public data not yet counted.

An index holds while no public change has been counted since it was built (PublicDataGeneration, read before the
data, so that an index is never labelled with a number that counts a change it does not show), until the next
scheduled moment at which public data changes by itself, and at most STORED_COUNTS_MAX_AGE: the rules of the
stored counts of the unfiltered library (library.selectors.stored_unfiltered_counts). Checking costs one query of
one row. After a restore of the database to an earlier state, restart the service (its shared cache is to be
emptied then too): the numbers of changes start again from the restored one.
"""

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from awards.selectors.publication import public_nominations_with_outcome, public_practices
from practices import public_version
from practices.models import PublicDataGeneration


def _bits(positions: Iterable[int], size: int) -> int:
    """A bitset with the given bits set: written as binary digits, one byte each, and converted once (setting bits
    of an int one by one would copy it each time; setting them in a byte array of bits took twice as long)."""
    if not size:
        return 0
    digits = bytearray(b"0") * size
    for position in positions:
        digits[position] = 49  # "1"
    digits.reverse()  # the lowest bit last
    return int(digits, 2)


@dataclass(frozen=True)
class FacetIndex:
    """The public practices' filter values as bitsets over their positions (`positions`: practice id → bit)."""

    generation: int
    built_at: datetime
    valid_until: datetime | None
    positions: dict[int, int]
    # "theme:perhetyo" → the practices with that facet key.
    keys: dict[str, int]
    # Evidence level (not empty) → its practices.
    evidence: dict[str, int]
    # (year, outcome) → the practices with a public nomination of that year and outcome.
    awards: dict[tuple[int, str], int]
    # Practice id → the (year, outcome) of its public nominations, newest year first: what its card shows.
    history: dict[int, tuple[tuple[int, str], ...]] = field(default_factory=dict)
    # Other reads of the same public data, kept as long as the index (memo()).
    memos: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def everything(self) -> int:
        return (1 << len(self.positions)) - 1

    def memo(self, key, read: Callable):
        """read()'s answer, read once for this index: for what the library shows of the same public data (the
        search form's choices). It must not depend on anything but public data and `key`."""
        if key not in self.memos:
            self.memos[key] = read()
        return self.memos[key]

    def holds(self, generation: int, now: datetime, max_age) -> bool:
        return (
            generation == self.generation
            and now < self.built_at + max_age
            and (self.valid_until is None or now < self.valid_until)
        )

    def matching(self, ids: Iterable[int]) -> int:
        """The bitset of these practices (ids not in the index, not public when it was built, are left out)."""
        positions = self.positions
        return _bits((p for p in map(positions.get, ids) if p is not None), len(positions))

    def awarded(self, year: int | None, outcome: str | None) -> int:
        """The practices with a public nomination of that year and outcome (None: any)."""
        bits = 0
        for (nominated_in, result), practices in self.awards.items():
            if (year is None or nominated_in == year) and (outcome is None or result == outcome):
                bits |= practices
        return bits

    @classmethod
    def build(cls, generation: int, now: datetime) -> "FacetIndex":
        """Read the public practices' filter values (two queries) and the next scheduled moment."""
        rows = public_practices(now).order_by("pk").values_list("pk", "evidence_level", "facet_keys")
        positions: dict[int, int] = {}
        by_key: defaultdict[str, list[int]] = defaultdict(list)
        by_level: defaultdict[str, list[int]] = defaultdict(list)
        for position, (pk, level, keys) in enumerate(rows):
            positions[pk] = position
            for key in keys:
                by_key[key].append(position)
            if level:
                by_level[level].append(position)
        by_award: defaultdict[tuple[int, str], list[int]] = defaultdict(list)
        history: defaultdict[int, list[tuple[int, str]]] = defaultdict(list)
        nominations = (
            public_nominations_with_outcome(now)
            .order_by("-cycle__year", "pk")  # the order of library.selectors.award_history_prefetch
            .values_list("practice_id", "cycle__year", "outcome")
        )
        for practice_id, year, outcome in nominations:
            if (position := positions.get(practice_id)) is not None:
                by_award[year, outcome].append(position)
                history[practice_id].append((year, outcome))
        size = len(positions)
        return cls(
            generation=generation,
            built_at=now,
            # Read after the data: a publication scheduled meanwhile has counted a change, and this is not used.
            valid_until=public_version.next_moment(now),
            positions=positions,
            keys={key: _bits(bits, size) for key, bits in by_key.items()},
            evidence={level: _bits(bits, size) for level, bits in by_level.items()},
            awards={award: _bits(bits, size) for award, bits in by_award.items()},
            history={practice_id: tuple(awards) for practice_id, awards in history.items()},
        )


_lock = threading.Lock()
_current: FacetIndex | None = None


def generation_now() -> int:
    return PublicDataGeneration.objects.filter(pk=1).values_list("number", flat=True).first() or 0


def current(max_age, *, build: bool = True) -> FacetIndex | None:
    """The index of the public data of now, built afresh when a change has been counted since, a scheduled moment
    has passed or it is older than max_age (with build=False: None then, and None without a query when the process
    has built none); None in a transaction that has changed public data not yet counted (the caller counts in SQL
    then). One query when the index holds."""
    global _current  # noqa: PLW0603 (the process's one index, replaced whole)
    if public_version.changed_in_this_transaction() or (_current is None and not build):
        return None
    generation = generation_now()  # before the data (see the module's docstring)
    now = timezone.now()
    index = _current
    if index is None or not index.holds(generation, now, max_age):
        if not build:
            return None
        with _lock:  # threads of one process build it once
            index = _current
            if index is None or not index.holds(generation, now, max_age):
                index = _current = FacetIndex.build(generation, now)
    return index


def forget() -> None:
    """Drop the process's index (tests, which roll the database back under it)."""
    global _current  # noqa: PLW0603
    _current = None
