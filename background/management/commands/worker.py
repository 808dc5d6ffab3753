"""The task worker: runs the queued tasks (e-mails, timed work) until stopped with Ctrl-C or SIGTERM."""

import os
import signal
import socket
import sys
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from background import schedule, workers


class Command(BaseCommand):
    help = (
        "Run the task worker: e-mails from the outbox and the timed work (background/schedule.py). "
        "Run one or more next to the web servers; each finishes the task at hand when stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between looks at an empty queue.")
        parser.add_argument(
            "--batch", action="store_true", help="Run the due work and every task due now, then exit (no loop)."
        )

    def handle(self, *args, interval: float, batch: bool, **options):
        worker_id = f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"
        # Before any task is claimed: a task found running under this id while the lock is free was interrupted.
        workers.hold_liveness_lock(worker_id)
        if batch:
            workers.requeue_lost_tasks()
            schedule.ensure_ticking()
            workers.run_queued(worker_id)
            return
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,  # run what is due, then come back here to look after the queue
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        if options["verbosity"]:
            self.stdout.write(f"Worker {worker_id} started (Ctrl-C stops it).")
        while worker.running:
            close_old_connections()
            workers.requeue_lost_tasks()
            schedule.ensure_ticking()
            worker.run()
            if not worker.running:
                break
            close_old_connections()
            time.sleep(interval)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        sys.exit(0)
