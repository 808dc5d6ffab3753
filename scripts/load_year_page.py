"""Load test on loopback: requests per second of a year's public page beside a minimal Django view (/healthz).

Starts gunicorn on 127.0.0.1 at a free port against the DATABASE_URL of the environment (which must hold a
published year, e.g. after `manage.py load_award_history`), fires a bounded number of requests from a few threads
at each URL, prints the figures and the ratio, and stops the server it started.

    DATABASE_URL=postgres://… python scripts/load_year_page.py --year 2017 --requests 2000 --seconds 20
"""

import argparse
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, headers=None) -> tuple[int, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("The server stopped while starting; see its output above.")
        try:
            if get(port, "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("The server did not answer /healthz in time.")


def measure(port: int, path: str, *, requests: int, seconds: float, threads: int, headers=None) -> dict:
    """Send at most `requests` GETs for at most `seconds`, from `threads` threads; count answers by status."""
    lock = threading.Lock()
    counts: dict[int, int] = {}
    sent = 0
    deadline = time.monotonic() + seconds

    def worker():
        nonlocal sent
        while True:
            with lock:
                if sent >= requests or time.monotonic() > deadline:
                    return
                sent += 1
            try:
                status = get(port, path, headers)[0]
            except OSError:
                status = 0
            with lock:
                counts[status] = counts.get(status, 0) + 1

    start = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - start
    done = sum(counts.values())
    return {
        "path": path,
        "requests": done,
        "seconds": elapsed,
        "rps": done / elapsed if elapsed else 0,
        "status": counts,
    }


def report(result: dict) -> None:
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(result["status"].items()))
    print(
        f"{result['path']:<32} {result['requests']:>6} requests in {result['seconds']:6.2f} s "
        f"= {result['rps']:8.1f} req/s  ({statuses})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", type=int, default=2017)
    parser.add_argument("--language", default="fi", choices=["fi", "sv", "en"])
    parser.add_argument("--requests", type=int, default=2000, help="at most this many requests per URL")
    parser.add_argument("--seconds", type=float, default=20, help="at most this long per URL")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Set DATABASE_URL to a database with a published year (manage.py load_award_history).")

    port = free_port()
    env = dict(
        os.environ,
        DEBUG="0",
        CONN_MAX_AGE=os.environ.get("CONN_MAX_AGE", "60"),
        DJANGO_ENV=os.environ.get("DJANGO_ENV", "development"),
        LOG_LEVEL="WARNING",
    )
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_until_up(port, server)
        year_path = f"/{args.language}/palkinto/{args.year}/"
        status, headers = get(port, year_path)  # warm the cache of every worker's first hit
        if status != 200:
            raise SystemExit(f"{year_path} answered {status}: is the year published in this database?")
        bounds = dict(requests=args.requests, seconds=args.seconds, threads=args.threads)
        print(f"gunicorn on 127.0.0.1:{port}, {args.workers} workers, {args.threads} client threads")
        baseline = measure(port, "/healthz", **bounds)
        page = measure(port, year_path, **bounds)
        conditional = measure(port, year_path, headers={"If-None-Match": headers.get("ETag", "")}, **bounds)
        for result in (baseline, page, conditional):
            report(result)
        if baseline["rps"]:
            print(f"year page / minimal view:            {page['rps'] / baseline['rps']:.2f}")
            print(f"year page 304 (ETag) / minimal view: {conditional['rps'] / baseline['rps']:.2f}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
