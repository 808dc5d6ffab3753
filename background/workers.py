"""Which workers are alive, and running again the tasks of those that died.

Each worker (`manage.py worker`) holds a PostgreSQL advisory lock named after its id for as long as its process
lives, on a connection of its own; the database releases the lock the moment the process dies, however it dies.
A task left RUNNING by a worker whose lock is free was interrupted, and goes back to READY: tasks run at least
once, and ours are written to be run again (the outbox sends an e-mail once however often `deliver` runs)."""

import hashlib
from datetime import datetime, timedelta

from django.db import connection, connections, transaction
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

# Ids of the eager mode (background/backends.py): tasks run inside a test's own process, never left behind.
_EAGER_IDS = {"at-once", "batch"}
_liveness_connection = None


def lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key for `name`, in the project's own namespace of keys."""
    return int.from_bytes(hashlib.blake2b(f"lastensuojeluteko:{name}".encode(), digest_size=8).digest(), signed=True)


def hold_liveness_lock(worker_id: str) -> None:
    """Take this worker's lock on a connection kept open for the life of the process."""
    global _liveness_connection  # noqa: PLW0603 (one per process, by design)
    _liveness_connection = connections.create_connection("default")
    _liveness_connection.connect()
    with _liveness_connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock_key(f"worker:{worker_id}")])


def _alive(worker_id: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock_key(f"worker:{worker_id}")])
        (free,) = cursor.fetchone()
        if free:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_key(f"worker:{worker_id}")])
    return not free


def requeue_lost_tasks(now: datetime | None = None) -> int:
    """Put back in the queue every running task whose worker died; returns how many."""
    count = 0
    for pk, worker_ids in DBTaskResult.objects.running().values_list("pk", "worker_ids"):
        worker_id = worker_ids[-1] if worker_ids else ""
        if worker_id in _EAGER_IDS or (worker_id and _alive(worker_id)):
            continue
        count += DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
    return count


def pending_task_args(task) -> list[list]:
    """The positional arguments of every queued or running call of `task`."""
    rows = DBTaskResult.objects.filter(
        task_path=task.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).values_list("args_kwargs", flat=True)
    return [row.get("args", []) for row in rows]


def run_queued(worker_id: str = "batch") -> int:
    """Run, in this process, every queued task that is due now, then return how many ran
    (`manage.py worker --batch`, and tests). The worker's own steps, without its loop: that loop also closes the
    database connection between tasks, which a test's transaction cannot survive."""
    from .backends import in_process_worker  # noqa: PLC0415 (as before: the worker command loads at first use)

    worker = in_process_worker(worker_id)
    count = 0
    while True:
        with transaction.atomic():
            task_result = DBTaskResult.objects.ready().get_locked()
            if task_result is None:
                return count
            task_result.claim(worker_id)
        worker.run_task(task_result)
        count += 1


def prune_finished_tasks(now: datetime) -> int:
    """Forget finished tasks after a week (a tick a minute adds 1,440 rows a day); failures stay a month."""
    done = DBTaskResult.objects.successful().filter(finished_at__lt=now - timedelta(days=7))
    failed = DBTaskResult.objects.failed().filter(finished_at__lt=now - timedelta(days=30))
    return done.delete()[0] + failed.delete()[0]
