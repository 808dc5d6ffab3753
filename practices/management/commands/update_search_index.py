"""Rewrite the search documents of the practices that need it: written by an older analysis, or without Voikko
when it is now available (or every practice with --all). Idempotent; `make run` and the container run it."""

from django.core.management.base import BaseCommand

from practices.models import Practice
from practices.search import analysis
from practices.search.index import linked_for_index, practices_index, stale_practices

BATCH = 500


class Command(BaseCommand):
    help = "Re-index the practices whose search document is stale (or all of them with --all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="re-index every practice")

    def handle(self, *args, **options):
        practices = Practice.objects.all() if options["all"] else stale_practices()
        ids = list(practices.order_by("pk").values_list("pk", flat=True))
        written = 0
        for start in range(0, len(ids), BATCH):
            written += practices_index(linked_for_index(Practice.objects.filter(pk__in=ids[start : start + BATCH])))
        status = analysis.analyser_status()
        self.stdout.write(f"Search index: {written} practices re-indexed (Finnish analysis: {status['analyser']}).")
        if "warning" in status:
            self.stderr.write(status["warning"])
