from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackgroundConfig(AppConfig):
    name = "background"
    verbose_name = _("E-mail outbox and timed work")

    def ready(self):
        from . import outbox, schedule, workers  # noqa: PLC0415

        # The queue's own housekeeping is due work like any other.
        schedule.register("background.requeue_lost_tasks", workers.requeue_lost_tasks, every=schedule.TICK)
        schedule.register("background.outbox_sweep", outbox.sweep, every=schedule.TICK)
        schedule.register("background.prune_finished_tasks", workers.prune_finished_tasks, every=timedelta(hours=6))
