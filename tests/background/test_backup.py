"""The backup-and-restore drill on the demo data: a backup restored into an empty database and empty folders has
the same rows and the same files, byte for byte."""

import hashlib
import io
import json
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from awards.models import Attachment, Nomination
from background import backup

pytestmark = pytest.mark.django_db(transaction=True)


def _server(**overrides) -> dict:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        **overrides,
    }


@pytest.fixture
def empty_database():
    name = f"{connection.settings_dict['NAME']}_restore"
    with psycopg.connect(**_server(dbname="postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield {**settings.DATABASES["default"], "NAME": name}
    with psycopg.connect(**_server(dbname="postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _counts(database_name: str) -> dict[str, int]:
    with psycopg.connect(**_server(dbname=database_name)) as conn, conn.cursor() as cursor:
        return backup.row_counts(cursor)


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def test_backup_and_restore_drill_on_the_demo_data(tmp_path, empty_database, capsys):
    call_command("seed_demo", stdout=io.StringIO())
    # The demo has no files: give a nomination a private attachment and the site a public upload.
    nomination = Nomination.objects.filter(state="submitted").first()
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    private.mkdir(parents=True, exist_ok=True)
    (private / "a1b2c3.pdf").write_bytes(b"%PDF-1.4 demo attachment " + bytes(range(256)))
    Attachment.objects.create(
        nomination=nomination,
        stored_name="a1b2c3.pdf",
        original_name="liite.pdf",
        content_type="application/pdf",
        size=281,
    )
    public = Path(settings.MEDIA_ROOT) / "announcements" / "2024"
    public.mkdir(parents=True)
    (public / "kuva.png").write_bytes(b"\x89PNG demo image")

    call_command("backup", str(tmp_path / "backups"))
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    manifest = json.loads((folder / "manifest.json").read_text())
    source = _counts(connection.settings_dict["NAME"])
    assert manifest["row_counts"] == source
    assert source["awards_nomination"] > 0
    assert manifest["files"]["private_media"] == _files(private)

    restored_media, restored_private = tmp_path / "restored" / "media", tmp_path / "restored" / "private"
    call_command(
        "restore",
        str(folder),
        database_url=(
            f"postgres://{empty_database['USER']}@{empty_database['HOST'] or '127.0.0.1'}:"
            f"{empty_database['PORT'] or 5432}/{empty_database['NAME']}"
        ),
        media_root=restored_media,
        private_media_root=restored_private,
    )
    assert "checksums and row counts match" in capsys.readouterr().out
    assert _counts(empty_database["NAME"]) == source
    assert _files(restored_private) == _files(private)
    assert _files(restored_media) == _files(Path(settings.MEDIA_ROOT))
    assert (restored_private / "a1b2c3.pdf").read_bytes() == (private / "a1b2c3.pdf").read_bytes()

    # A second restore into the now full database is refused, and so is a damaged backup.
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore(folder, database=empty_database, media_root=tmp_path / "x", private_media_root=tmp_path / "y")
    with (folder / "media.tar.gz").open("ab") as archive:
        archive.write(b"damage")
    with pytest.raises(backup.BackupError, match="damaged"):
        backup.verify(folder)


def test_client_too_old_for_the_server_is_an_error_naming_what_was_found():
    with pytest.raises(backup.BackupError, match="pg_dump 99 or newer is needed"):
        backup.find_client("pg_dump", 99)


def test_the_oldest_client_new_enough_is_chosen():
    found = backup.find_client("pg_dump", 1)
    assert backup.find_client("pg_dump", found.major).major == found.major
    assert (found.folder / "pg_dump").is_file()
