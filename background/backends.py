"""The task backend: django-tasks-db's queue in our PostgreSQL, with an eager mode for the test suite."""

from django.conf import settings
from django.utils import timezone
from django_tasks_db import DatabaseBackend as QueueInDatabase
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker


class DatabaseBackend(QueueInDatabase):
    """Every task is a row in the database, written in the caller's transaction, and run by `manage.py worker`.

    With TASKS_RUN_AT_ONCE (the test suite's default) a task due now is also run at once, in the caller's
    process, through the worker's own code: tests see its effects without a worker process. A task that fails
    then raises, so that a test cannot pass over a broken task. Deferred tasks (run_after) wait in the queue
    either way."""

    def enqueue(self, task, args, kwargs):
        result = super().enqueue(task, args, kwargs)
        if getattr(settings, "TASKS_RUN_AT_ONCE", False) and (
            task.run_after is None or task.run_after <= timezone.now()
        ):
            db_result = result.db_result
            db_result.claim("at-once")
            in_process_worker("at-once").run_task(db_result)
            db_result.refresh_from_db()
            if db_result.status == TaskResultStatus.FAILED:
                raise RuntimeError(f"Task {db_result.task_path} failed:\n{db_result.traceback}")
            return db_result.task_result
        return result


def in_process_worker(worker_id: str) -> Worker:
    """django-tasks-db's worker, to run one queued task at a time in this process (the eager mode here, and
    background.workers.run_queued), never looping or sleeping."""
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
