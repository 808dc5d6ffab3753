"""App config for award cycles, nominations, jury scoring, decisions and publication."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts import access

from .access import ACCESS


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")

    def ready(self):
        # Both need the models, which are loaded only now: the jury roles for accounts, the audit receivers.
        from . import public_changes, roles, signals  # noqa: F401, PLC0415

        access.register(ACCESS)
        roles.register()
        public_changes.register()
