"""Load regions, wellbeing services counties, municipalities, themes and target groups (idempotent)."""

from django.core.management.base import BaseCommand

from practices.reference_data import load_reference_data


class Command(BaseCommand):
    help = "Load the Finnish regional reference data (Statistics Finland, CC BY 4.0) and the practice themes."

    def handle(self, *args, **options):
        result = load_reference_data()
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data: {result.regions} regions, {result.counties} counties, "
                f"{result.municipalities} municipalities, {result.themes} themes, "
                f"{result.target_groups} target groups."
            )
        )
