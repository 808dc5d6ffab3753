"""Recompute every review's stored tally of its scores (awards.selectors.jury.review_tally_columns)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from awards.services.jury import reviews_tally_refresh


class Command(BaseCommand):
    help = (
        "Recompute for every review the scores the chair's ranking reads (by criterion, weighted, their sum and "
        "number) from its scores and the criteria's weights. The receivers keep them current; run it after bulk "
        "writes that send no signals (a restore of some tables, SQL by hand)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            count = reviews_tally_refresh()
        self.stdout.write(f"Recomputed the tallies of {count} reviews.")
