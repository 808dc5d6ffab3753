"""Restore a backup made by `manage.py backup` into an empty database and empty media folders."""

from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from background.backup import BackupError, current_database, restore


class Command(BaseCommand):
    help = (
        "Restore FOLDER (made by `manage.py backup`) into an empty database and empty media folders; the "
        "checksums and the row counts of the manifest are checked."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--database-url", help="The empty database to restore into (default: DATABASE_URL).")
        parser.add_argument("--media-root", type=Path, help="Default: MEDIA_ROOT.")
        parser.add_argument("--private-media-root", type=Path, help="Default: PRIVATE_MEDIA_ROOT.")

    def handle(self, *args, folder: Path, database_url, media_root, private_media_root, **options):
        database = dj_database_url.parse(database_url) if database_url else current_database()
        try:
            checked = restore(
                folder,
                database=database,
                media_root=media_root or Path(settings.MEDIA_ROOT),
                private_media_root=private_media_root or Path(settings.PRIVATE_MEDIA_ROOT),
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {checked['rows']} rows in {checked['tables']} tables and {checked['files']} files; "
            "checksums and row counts match the manifest."
        )
