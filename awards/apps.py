"""App config for award cycles, nominations, jury scoring, decisions and publication."""

from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts import access

from .access import ACCESS


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")

    def ready(self):
        # Both need the models, which are loaded only now: the jury roles for accounts, the audit receivers.
        from . import roles, signals  # noqa: F401, PLC0415

        access.register(ACCESS)
        roles.register()
        self.register_background_work()

    def register_background_work(self):
        from awards.services import jury, nominations, publication  # noqa: PLC0415
        from background import outbox, schedule  # noqa: PLC0415

        for purpose, label in {
            "nomination_submitted": _("nomination received"),
            "draft_reminder": _("reminder of an unsubmitted draft"),
            "jury_reminder": _("reminder to a juror"),
            "result": _("result to the nominators"),
        }.items():
            outbox.register_purpose(purpose, label)
        schedule.register("awards.results_notify", publication.notifications_send_due, every=schedule.TICK)
        schedule.register("awards.draft_reminders", nominations.draft_reminders_send_due, every=timedelta(minutes=15))
        schedule.register("awards.jury_reminders", jury.jury_reminders_send_due, every=timedelta(minutes=15))
