"""App config for accounts, roles and the audit log."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import signals  # noqa: PLC0415 (connect receivers once the apps are loaded)

        signals.connect_jury_signals()
