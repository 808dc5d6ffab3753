"""App config of the public practice library: search, place pages and the open-data API."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts import access

from .access import ACCESS


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Practice library")

    def ready(self):
        access.register(ACCESS)
