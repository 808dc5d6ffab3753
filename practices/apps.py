"""App config for the shared schema of places, organisations and practices."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Practices and reference data")

    def ready(self):
        # Both need the models, loaded only now; the signals connect the search index to every save.
        from . import public_version, signals  # noqa: F401, PLC0415

        # Everything of this app is public: the places, organisations, themes and the library's practices.
        # (Not the count of public changes itself, which public_version writes.)
        from .models import PublicDataGeneration  # noqa: PLC0415

        public_version.watch(m for m in self.get_models() if m is not PublicDataGeneration)
        # The empty choice of every select ("- Select an option -" is Django's, untranslated in Finnish and
        # Swedish): one label of our own, in our catalogues. Django reads it at call time (db.models.utils).
        from django.db.models import fields  # noqa: PLC0415

        fields.BLANK_CHOICE_LABEL = _("– Choose –")
