"""Timed work, run by the task queue instead of cron: one registry of due-work functions and one periodic task.

An app registers a function in its AppConfig.ready():

    from background import schedule
    schedule.register("awards.draft_reminders", draft_reminders_send_due, every=timedelta(minutes=15))

The function takes the current time, does whatever has become due by then (it must be safe to run again: it
records what it did, e.g. through the outbox's unique e-mails) and returns a count or a small dict for the log.
`tick`, a task that enqueues its own next run, calls each function when its interval has passed; the worker
makes sure a tick is always queued. Work with a moment of its own (a scheduled publication) may also enqueue a
task with `run_after`; the registry is then its safety net.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.tasks import task
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import DueWork
from .workers import lock_key

logger = logging.getLogger("background.schedule")

TICK = timedelta(minutes=1)


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[datetime], object]
    every: timedelta


_REGISTRY: dict[str, Job] = {}


def register(name: str, func: Callable[[datetime], object], *, every: timedelta) -> None:
    """Run `func(now)` every `every` (at the tick's pace: at most once a minute)."""
    existing = _REGISTRY.get(name)
    if existing is not None and existing.func is not func:
        raise ValueError(f"{name} is registered twice")
    _REGISTRY[name] = Job(name, func, every)


def jobs() -> list[Job]:
    return list(_REGISTRY.values())


def run_due(now: datetime | None = None) -> dict[str, object]:
    """Run every registered function whose moment has come; one failing does not keep the others from running.

    Two ticks at once (two workers) take turns on a lock, so a function never runs twice at the same time."""
    now = now or timezone.now()
    results = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock_key("tick")])
        (locked,) = cursor.fetchone()
    if not locked:
        return results
    try:
        for job in jobs():
            row, _created = DueWork.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
            if row.next_run_at > now:
                continue
            try:
                with transaction.atomic():
                    result = job.func(now)
            except Exception as error:
                logger.exception("due work %s failed", job.name)
                row.last_error = f"{type(error).__name__}: {error}"[:2000]
            else:
                row.last_error = ""
                row.last_result = result if isinstance(result, dict) else {"count": result}
                results[job.name] = result
            row.last_run_at = now
            row.next_run_at = now + job.every
            row.save()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_key("tick")])
    return results


@task
def tick() -> dict:
    """Run the due work, then queue the next tick."""
    results = run_due()
    ensure_ticking(at=timezone.now() + TICK)
    return {name: result if isinstance(result, int | dict) else str(result) for name, result in results.items()}


def ensure_ticking(at: datetime | None = None) -> None:
    """Keep one chain of ticks however many workers run. The worker calls this with no `at`: a tick is queued
    now unless one is queued or running. A tick calls it with the moment of the next one, queued unless
    another tick is already waiting."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key("tick-queue")])
        ticks = DBTaskResult.objects.filter(task_path=tick.module_path)
        blocking = [TaskResultStatus.READY] if at is not None else [TaskResultStatus.READY, TaskResultStatus.RUNNING]
        if ticks.filter(status__in=blocking).exists():
            return
        (tick.using(run_after=at) if at is not None else tick).enqueue()
