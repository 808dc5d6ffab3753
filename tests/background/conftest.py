"""Fixtures of the queue's tests: real worker and server processes on this machine, a real Redis."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, *, timeout: float = 30, what: str = "condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def process_env(**extra) -> dict:
    """The environment of a child process: this test's database (the test database), nothing eager."""
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{connection.settings_dict['NAME']}"
    if db.get("PASSWORD"):
        url = url.replace(f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "REDIS_", "PYTEST"))}
    env.update(DATABASE_URL=url, TASKS_RUN_AT_ONCE="false", PYTHONUNBUFFERED="1", DEBUG="false")
    env.update({k: str(v) for k, v in extra.items()})
    return env


@pytest.fixture
def start_process(tmp_path):
    """Start `manage.py ...` (or any argv) in the background; every process is stopped when the test ends."""
    yield from _process_starter(tmp_path)


@pytest.fixture(scope="module")
def start_module_process(tmp_path_factory):
    """The same, for processes that serve every test of a module (servers reading the test database)."""
    yield from _process_starter(tmp_path_factory.mktemp("processes"))


def _process_starter(tmp_path):
    started = []

    def start(*argv, env, name="process"):
        log = open(tmp_path / f"{name}-{len(started)}.log", "wb")  # noqa: SIM115 (closed below)
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def manage(*args) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *args]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """The machine's Redis (REDIS_TEST_URL, by default 127.0.0.1:6379 database 7); where none answers, a
    redis-server of our own if the binary is installed; else the tests of sharing are skipped, saying why."""
    import redis  # noqa: PLC0415

    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/7")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pass
    else:
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip(f"No Redis answers at {url} and no redis-server is installed: the tests of sharing need one.")
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(  # noqa: S603 (our own redis-server)
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    wait_until(lambda: _pings(url), timeout=10, what="redis-server")
    yield url
    process.terminate()
    process.wait(timeout=10)


def _pings(url) -> bool:
    import redis  # noqa: PLC0415

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture
def real_queue(settings):
    """Tasks wait in the queue for a worker process, as in production (not run at once in the test)."""
    settings.TASKS_RUN_AT_ONCE = False
