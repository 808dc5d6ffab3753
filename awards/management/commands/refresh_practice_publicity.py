"""Recompute every practice's stored publicity (awards.selectors.publication.publicity_columns) from the rule."""

from django.core.management.base import BaseCommand
from django.db import transaction

from awards.services.publication import practices_publicity_refresh
from practices import public_version


class Command(BaseCommand):
    help = (
        "Recompute for every practice whether and since when the public sees it and its description, from the "
        "nominations, cycles, decisions and safeguard checks. The receivers keep it current; run it after bulk "
        "writes that send no signals (a restore of some tables, SQL by hand)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            count = practices_publicity_refresh()
            public_version.public_data_changed()
        self.stdout.write(f"Recomputed the publicity of {count} practices.")
