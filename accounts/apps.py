"""App config for accounts, roles and the audit log."""

from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import access


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # The audit receivers, the services and the retention rules need the models, which are loaded only now.
        from background import outbox, schedule  # noqa: PLC0415

        from . import retention, services, signals  # noqa: F401, PLC0415

        access.register(access.ACCESS)
        for purpose, label in services.PURPOSES.items():
            outbox.register_purpose(purpose, label)
        retention.register_own()
        schedule.register("accounts.retention", retention.retention_apply, every=timedelta(days=1))
