"""Load benchmark of the anonymous public pages beside a bare Django view, with wrk on loopback.

Starts gunicorn as production runs it (DEBUG=false, CONN_MAX_AGE=60, 2 sync workers) on 127.0.0.1:PORT against
the DATABASE_URL of the environment (the demo data of `make run`: published years 2013 and 2017, the library's
practices), with a URLconf of its own that adds a bare `HttpResponse("ok")` view under the same middleware
(scripts/bench/: production's URLs are untouched). The API's rate limit is lifted (still checked). In one run it
measures requests per second of the bare view and of every public page, and prints a table with the ratio to the
bare view and the response headers that decide proxy caching. It measures and prints; it is not a test.

    DATABASE_URL=postgres://… python scripts/load_public_pages.py --port 8013 --seconds 8

wrk is Debian's package; when it is missing the script installs it with apt-get (as root), as the browser tests'
set-up installs chromium.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = "/__bench__/bare/"
# The headers that decide whether a proxy may keep a page, and for how long.
CACHE_HEADERS = ("Cache-Control", "ETag", "Last-Modified", "Vary", "Set-Cookie", "Content-Encoding")
HTML_TARGET, API_TARGET = 0.8, 0.6


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing Debian's wrk for the benchmark", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
            stdout=subprocess.DEVNULL,
        )
        return shutil.which("wrk") or "wrk"
    raise SystemExit("The benchmark needs wrk: install Debian's wrk package (apt-get install wrk).")


def get(port: int, path: str, headers=None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("The server stopped while starting; see its output above.")
        try:
            if get(port, BARE)[0] == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("The server did not answer in time.")


def discover(port: int, language: str, year: int) -> list[tuple[str, str, str]]:
    """The pages to measure, (label, path, kind), with a practice and its places taken from the API."""
    status, _headers, body = get(port, "/api/v1/practices/?page_size=50")
    if status != 200:
        raise SystemExit(f"/api/v1/practices/ answered {status}.")
    practices = json.loads(body)["results"]
    placed = next((p for p in practices if p["municipalities"]), practices[0] if practices else None)
    if placed is None:
        raise SystemExit("The database has no public practice: run `make run` (or manage.py seed_demo) first.")
    theme = next((p["themes"][0] for p in practices if p["themes"]), "")
    municipality = placed["municipalities"][0] if placed["municipalities"] else "153"
    place = json.loads(get(port, f"/api/v1/municipalities/{municipality}/")[2])
    prefix = f"/{language}"
    pages = [
        ("home", f"{prefix}/", "html"),
        ("call for nominations", f"{prefix}/palkinto/haku/", "html"),
        ("archive", f"{prefix}/palkinto/arkisto/", "html"),
        (f"year {year}", f"{prefix}/palkinto/{year}/", "html"),
        ("feed", f"{prefix}/palkinto/arkisto/syote/", "html"),
        ("sitemap", "/sitemap.xml", "html"),
        ("library", f"{prefix}/kaytannot/", "html"),
        ("library, filtered", f"{prefix}/kaytannot/?theme={theme}&municipality={municipality}", "html"),
        ("library, search", f"{prefix}/kaytannot/?q=perhe", "html"),
        ("practice", f"{prefix}/kaytannot/{placed['slug']}/", "html"),
        ("municipality", f"{prefix}/kunnat/{municipality}/", "html"),
        ("county", f"{prefix}/hyvinvointialueet/{place['county']}/", "html"),
        ("region", f"{prefix}/maakunnat/{place['region']}/", "html"),
        ("API practices", "/api/v1/practices/", "api"),
        ("API practices, search", "/api/v1/practices/?q=perhe", "api"),
        ("API practice", f"/api/v1/practices/{placed['slug']}/", "api"),
        ("API awards", "/api/v1/awards/", "api"),
        ("API award year", f"/api/v1/awards/{year}/", "api"),
        ("API municipalities", "/api/v1/municipalities/", "api"),
        ("API municipality", f"/api/v1/municipalities/{municipality}/", "api"),
    ]
    return [(label, path, kind) for label, path, kind in pages if not path.endswith("/None/")]


def run_wrk(wrk: str, port: int, path: str, *, seconds: float, connections: int, threads: int, headers) -> dict:
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{round(seconds)}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    median = re.search(r"50%\s+([\d.]+\w+)", output)
    return {
        "rps": rps,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "errors": errors.group(0) if errors else "",
        "median": median.group(1) if median else "?",
    }


def print_report(bare: dict, conditional: dict, results: list, shown: dict, pages: list) -> None:
    header = f"{'page':24} {'path':52} {'req/s':>8} {'ratio':>6} {'target':>6} {'median':>8}  status"
    print(header)
    print("-" * len(header))
    print(f"{'bare view':24} {BARE:52} {bare['rps']:>8.0f} {1:>6.2f} {'':>6} {bare['median']:>8}")
    for label, path, kind, result in results:
        ratio = result["ratio"]
        target = HTML_TARGET if kind == "html" else API_TARGET
        mark = "ok" if ratio >= target else "BELOW"
        status = shown[path][0]
        extra = f" {result['non_2xx']} non-2xx" if result["non_2xx"] else ""
        print(
            f"{label:24} {path[:52]:52} {result['rps']:>8.0f} {ratio:>6.2f} {target:>6.1f} "
            f"{result['median']:>8}  {status} {mark}{extra} {result['errors']}"
        )
    ratio = conditional["ratio"]
    print(
        f"{'year, If-None-Match':24} {pages[3][1]:52} {conditional['rps']:>8.0f} {ratio:>6.2f} {'':>6} "
        f"{conditional['median']:>8}  304 expected, {conditional['non_2xx']} non-2xx/3xx"
    )
    print("\nHeaders that decide proxy caching (anonymous GET, Accept-Encoding: gzip):")
    for label, path, _kind in pages:
        status, response_headers = shown[path]
        values = "; ".join(f"{name}: {response_headers.get(name, '—')}" for name in CACHE_HEADERS)
        print(f"  {label:24} {status} {values}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8013)
    parser.add_argument("--year", type=int, default=2017, help="a published year of the database")
    parser.add_argument("--language", default="fi", choices=["fi", "sv", "en"])
    parser.add_argument("--seconds", type=int, default=3, help="wrk's duration per page and round")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds over every page, each with the bare view again; the median of the rounds is shown "
        "(the machine is shared: a single pass would measure the neighbours)",
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="wrk's threads (the machine has 2 cores)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Set DATABASE_URL to a database with the demo data (make run, or manage.py seed_demo).")
    wrk = ensure_wrk()

    env = dict(
        os.environ,
        DEBUG="false",
        CONN_MAX_AGE="60",
        DJANGO_SETTINGS_MODULE="bench_settings",
        # The rate limit lifted but still checked, as on every API request: per second, so that its history of
        # one client's requests stays short (a per-minute limit this high would keep 60,000 timestamps in the
        # cache and measure their pickling, not the API).
        API_RATE="100000000/s",
        LOG_LEVEL="WARNING",
        STATIC_ROOT=os.environ.get("STATIC_ROOT", tempfile.mkdtemp(prefix="bench-static-")),
    )
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--pythonpath",
        str(ROOT / "scripts" / "bench"),
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_until_up(args.port, server)
        pages = discover(args.port, args.language, args.year)
        # A browser's request: it accepts compression. No cookie: an anonymous visitor.
        headers = {"Accept-Encoding": "gzip, deflate, br", "Accept": "text/html,application/json;q=0.9,*/*;q=0.8"}
        shown = {}
        for _label, path, _kind in pages:
            for _n in range(4 * args.workers):  # each worker's first request fills its copy (LocMem is per process)
                status, response_headers, _body = get(args.port, path, headers)
            shown[path] = (status, response_headers)
        bounds = dict(seconds=args.seconds, connections=args.connections, threads=args.threads, headers=headers)
        print(
            f"gunicorn on 127.0.0.1:{args.port}, {args.workers} workers, DEBUG=false, CONN_MAX_AGE=60; "
            f"wrk -t{args.threads} -c{args.connections} -d{args.seconds}s per page; each page right after the bare "
            f"view, the median of {args.rounds} rounds of its ratio to it"
        )
        etag = shown[pages[3][1]][1].get("ETag", "")
        conditional_bounds = dict(bounds, headers=dict(headers, **{"If-None-Match": etag}))
        runs: dict[str, list[dict]] = {}
        # Each page is measured right after the bare view, and its ratio is to that neighbour: the machine is
        # shared, and its load drifts more over a whole run than between two runs in a row.
        for _round in range(args.rounds):
            for path, page_bounds in [("304", conditional_bounds), *((p, bounds) for _l, p, _k in pages)]:
                bare_run = run_wrk(wrk, args.port, BARE, **bounds)
                target = pages[3][1] if path == "304" else path
                page_run = run_wrk(wrk, args.port, target, **page_bounds)
                page_run["ratio"] = page_run["rps"] / bare_run["rps"] if bare_run["rps"] else 0
                runs.setdefault(BARE, []).append(bare_run)
                runs.setdefault(path, []).append(page_run)

        def median_run(key, by="ratio"):
            ordered = sorted(runs[key], key=lambda r: r[by])
            return ordered[len(ordered) // 2]

        bare = median_run(BARE, by="rps")
        conditional = median_run("304")
        results = [(label, path, kind, median_run(path)) for label, path, kind in pages]
        rates = sorted(r["rps"] for r in runs[BARE])
        print(f"bare view: {len(rates)} runs, {rates[0]:.0f} to {rates[-1]:.0f} req/s\n")

        print_report(bare, conditional, results, shown, pages)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
