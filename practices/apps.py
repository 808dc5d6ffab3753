"""App config for the shared schema of places, organisations and practices."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Practices and reference data")

    def ready(self):
        from . import signals  # noqa: F401, PLC0415 (connects the search index to every save)
