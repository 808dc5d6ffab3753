"""Make a consistent backup: a pg_dump archive, the public and private media, and a manifest of checksums."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from background.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and both media folders into a new folder below DESTINATION (see README)."

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path)

    def handle(self, *args, destination: Path, **options):
        try:
            folder = backup(destination)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
