"""App config for the shared schema of places, organisations and practices."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Practices and reference data")

    def ready(self):
        from . import public_version  # noqa: PLC0415 (needs the models, loaded only now)

        # Everything of this app is public: the places, organisations, themes and the library's practices.
        public_version.watch(self.get_models())
