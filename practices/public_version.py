"""The version of everything the public sees: one number in the shared cache that every public change bumps.

Cached public pages, the library's facet counts and the API's lists are keyed on it, so a change shows on the very
next request in every process, and checking that a cached copy is current costs one cache read, no database query.

Who bumps it: every write of something public calls public_data_changed() (the services do, and the receivers
connected by watch() do for the admin, the shell and anything else that saves a model). Changes that happen by
themselves at a moment (a publication scheduled for the announcement at the event, a call for nominations opening
or closing) are found by the functions registered with register_moments(): the version holds until the soonest of
those moments, and the first request after it moves the version on.

The shared cache is Django's cache alias PUBLIC_CACHE_ALIAS (default "default"): Redis in production, LocMem in
development (one process) and in the tests.
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

VERSION_KEY = "public:version"
UNTIL_KEY = "public:until"
# UNTIL_KEY's values besides a timestamp: no moment is coming, or a change asks the next reader to look again.
NO_MOMENT = 0.0
UNKNOWN = -1.0

# Functions of `now` that return the next moment (after now) at which public data changes without a write.
_MOMENT_SOURCES: list[Callable[[datetime], datetime | None]] = []


def public_cache():
    return caches[getattr(settings, "PUBLIC_CACHE_ALIAS", "default")]


@dataclass(frozen=True)
class PublicVersion:
    """The current version and, as a Unix time, the moment it stops being current by itself (None: no such moment)."""

    number: int
    until: float | None

    def seconds_left(self, now: float | None = None) -> float | None:
        if self.until is None:
            return None
        return max(0.0, self.until - (time.time() if now is None else now))


def register_moments(source: Callable[[datetime], datetime | None]) -> None:
    """An app above tells when its public data changes by itself (it is called with `now`, answers a later
    moment or None). Registered once, in the app's AppConfig.ready()."""
    if source not in _MOMENT_SOURCES:
        _MOMENT_SOURCES.append(source)


def next_moment(now: datetime | None = None) -> datetime | None:
    now = now or timezone.now()
    moments = [m for m in (source(now) for source in _MOMENT_SOURCES) if m is not None and m > now]
    return min(moments, default=None)


def _new_number(cache) -> int:
    """The next version: incremented atomically; after a restart of the cache a new start that no earlier
    version can equal (microseconds since the epoch), so no page cached before can come back."""
    try:
        return cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, time.time_ns() // 1000, timeout=None)
        return cache.get(VERSION_KEY)


def _until_from_database(cache) -> float:
    moment = next_moment()
    until = moment.timestamp() if moment else NO_MOMENT
    cache.set(UNTIL_KEY, until, timeout=None)
    return until


def current() -> PublicVersion:
    """The current version, from the shared cache: one read on most requests. The database is asked only after
    a change (for the next scheduled moment) and when a scheduled moment has passed."""
    cache = public_cache()
    values = cache.get_many([VERSION_KEY, UNTIL_KEY])
    number, until = values.get(VERSION_KEY), values.get(UNTIL_KEY)
    if number is None or until is None:
        # Never set, or lost (a restart of the cache): a new version, for nobody can tell what changed meanwhile.
        number = _new_number(cache)
        until = _until_from_database(cache)
    elif until == UNKNOWN:
        until = _until_from_database(cache)
    if until not in (NO_MOMENT, UNKNOWN) and time.time() >= until:
        # A scheduled change has happened: the pages cached before it are no longer current.
        number = _new_number(cache)
        until = _until_from_database(cache)
    return PublicVersion(number=number, until=None if until in (NO_MOMENT, UNKNOWN) else until)


def _bump() -> None:
    cache = public_cache()
    _new_number(cache)
    cache.set(UNTIL_KEY, UNKNOWN, timeout=None)


# Set on the connection while its transaction holds a public change not yet committed (see public_data_changed).
_CHANGED_IN_TRANSACTION = "public_data_changed_in_transaction"


def _count_committed_change() -> None:
    """Count the change in PublicDataGeneration: in a transaction of its own once the change has committed, so that
    the one row is locked for an instant and never by a transaction that goes on to lock other rows (which could
    deadlock). An upsert: the row exists from the first change on (a flushed test database has none)."""
    from .models import PublicDataGeneration  # noqa: PLC0415 (this module is imported before the models load)

    setattr(connection, _CHANGED_IN_TRANSACTION, False)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PublicDataGeneration._meta.db_table} (id, number) VALUES (1, 1) "  # noqa: S608 (our table)
            "ON CONFLICT (id) DO UPDATE SET number = EXCLUDED.number + "
            f"{PublicDataGeneration._meta.db_table}.number"
        )


def changed_in_this_transaction() -> bool:
    """Whether the transaction in progress has changed public data that PublicDataGeneration does not count yet:
    a summary stored in the database must then be computed afresh (and not stored) until it commits. After a
    rollback the mark may stay until the next change commits: that costs a fresh computation, never a stale one."""
    return not transaction.get_autocommit() and getattr(connection, _CHANGED_IN_TRANSACTION, False)


def public_data_changed() -> None:
    """Call after any write that changes what the public sees. It bumps the version now, so that this request and
    this transaction see fresh pages, and again when the transaction commits, so that a page another process
    rendered from the data of before the commit is never kept under the new version. The database's count of
    changes (PublicDataGeneration) moves once the change commits; until then this transaction is marked as
    having changed public data (changed_in_this_transaction)."""
    _bump()
    if transaction.get_autocommit():
        _count_committed_change()
        return
    setattr(connection, _CHANGED_IN_TRANSACTION, True)
    transaction.on_commit(_bump)
    transaction.on_commit(_count_committed_change)


def watch(models: Iterable[type[Model]], *, when: Callable[[Model], bool] | None = None) -> None:
    """Bump the version whenever one of `models` is saved or deleted (and when one of their many-to-many links
    changes), whoever does it: a service, the admin, a management command. `when(instance)` may narrow it down."""

    def changed(sender, instance, **kwargs):
        if when is None or when(instance):
            public_data_changed()

    def links_changed(sender, instance, action, reverse, **kwargs):
        if action.startswith("post_") and (when is None or reverse or when(instance)):
            public_data_changed()

    for model in models:
        uid = f"public_version:{model._meta.label}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                links_changed, sender=field.remote_field.through, weak=False, dispatch_uid=f"{uid}:{field.name}"
            )


def per_version(name: str, *, timeout: int = 24 * 60 * 60):
    """Cache a read's result in the shared cache for the current public version, keyed on its arguments (their
    repr: give it frozen dataclasses, strings and numbers). A call with a moment (`at=`) other than now is not
    cached: previews and schedules ask about another time."""

    def decorate(function):
        def get_or(compute: Callable[[], Any], *args, **kwargs):
            """The cached answer for these arguments, or else compute()'s, stored as the answer: for a caller that
            computes the same answer as `function` more cheaply together with something else it needs."""
            if kwargs.get("at") is not None:
                return compute()
            raw = repr((args, sorted(kwargs.items())))
            digest = hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()
            key = f"public:data:{name}:{current().number}:{digest}"
            cache = public_cache()
            value = cache.get(key)
            if value is None:
                value = compute()
                cache.set(key, value, timeout)
            return value

        @wraps(function)
        def cached(*args, **kwargs):
            return get_or(lambda: function(*args, **kwargs), *args, **kwargs)

        cached.get_or = get_or
        return cached

    return decorate
