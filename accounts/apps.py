"""App config for accounts, roles and the audit log."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import access


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # The audit receivers need the models, which are loaded only now.
        from . import signals  # noqa: F401, PLC0415

        access.register(access.ACCESS)
