"""App config for accounts, roles and the audit log."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import access


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # The audit receivers need the models, which are loaded only now.
        from background import outbox  # noqa: PLC0415

        from . import services, signals  # noqa: F401, PLC0415

        access.register(access.ACCESS)
        for purpose, label in services.PURPOSES.items():
            outbox.register_purpose(purpose, label)
