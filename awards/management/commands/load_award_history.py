"""Load the prize's earlier results (practices/data/awards_history.csv) as published cycles; idempotent."""

from pathlib import Path

from django.core.management.base import BaseCommand

from awards.history import HISTORY_FILE, load_award_history


class Command(BaseCommand):
    help = "Create or update the historical award cycles (2013, 2017) with their results; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=HISTORY_FILE, help="CSV of earlier results.")

    def handle(self, *args, **options):
        cycles = load_award_history(options["file"])
        for cycle in cycles:
            self.stdout.write(f"{cycle.year}: {cycle.nominations.count()} nominations, published.")
