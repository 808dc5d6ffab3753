"""Lighthouse (mobile) performance and best-practices scores of the main pages, against a production-like server.

Collects the static files as production does (compressed, fingerprinted), starts gunicorn with DJANGO_ENV=production
on 127.0.0.1:PORT against DATABASE_URL (the demo data of `make run`), and runs Lighthouse from node_modules (pinned
in package-lock.json) in Debian's chromium (CHROME_PATH, headless, --no-sandbox) on the home, archive, year,
library, practice and nomination-form pages. The nomination form is a signed-in page: the script signs the demo
nominator in and hands Lighthouse the session cookie. It prints the scores and every audit that kept a score
below 100; it measures and prints, it is not a test.

    DATABASE_URL=postgres://… python scripts/lighthouse.py --port 8013
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "best-practices")


def production_env(port: int, static_root: str) -> dict[str, str]:
    return dict(
        os.environ,
        DJANGO_ENV="production",
        DEBUG="false",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback; TLS is the reverse proxy's
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=static_root,
        CONN_MAX_AGE="60",
        LOG_LEVEL="WARNING",
        SITE_URL=f"http://127.0.0.1:{port}",
    )


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("The server stopped while starting; see its output above.")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own loopback server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("The server did not answer in time.")


def pages_and_cookie(port: int, env: dict[str, str]) -> tuple[list[tuple[str, str, str | None]], str]:
    """The pages to audit, and a session cookie of the demo nominator (made with the server's own secret key)."""
    os.environ.update({k: env[k] for k in ("DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from accounts.models import User
    from awards.models import AwardCycle, Nomination
    from awards.selectors.publication import public_practices

    year = AwardCycle.objects.results_public().order_by("-year").values_list("year", flat=True).first()
    practice = public_practices().order_by("name").first()
    nominator = User.objects.get(email="nominator@imatra.demo.fi")
    draft = Nomination.objects.filter(created_by=nominator, state=Nomination.State.DRAFT).order_by("-pk").first()
    if year is None or practice is None or draft is None:
        raise SystemExit("The database lacks the demo data: run `make run` (or manage.py seed_demo) first.")
    client = Client()
    client.force_login(nominator)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    base = f"http://127.0.0.1:{port}"
    pages = [
        ("home", f"{base}/fi/", None),
        ("archive", f"{base}/fi/palkinto/arkisto/", None),
        (f"year {year}", f"{base}/fi/palkinto/{year}/", None),
        ("library", f"{base}/fi/kaytannot/", None),
        ("practice", f"{base}/fi/kaytannot/{practice.slug}/", None),
        ("nomination form", f"{base}/fi/ehdotukset/{draft.pk}/muokkaa/", cookie),
    ]
    return pages, cookie


def lighthouse(url: str, cookie: str | None, chrome: str, out: Path) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(command, check=True, env=dict(os.environ, CHROME_PATH=chrome))
    return json.loads(out.read_text())


def report(label: str, result: dict) -> str:
    scores = {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}
    lines = [f"{label:18} performance {scores['performance']:>3}   best practices {scores['best-practices']:>3}"]
    metrics = result["audits"]
    lines.append(
        "                   "
        + ", ".join(
            f"{name} {metrics[key]['displayValue']}"
            for name, key in (
                ("FCP", "first-contentful-paint"),
                ("LCP", "largest-contentful-paint"),
                ("TBT", "total-blocking-time"),
                ("CLS", "cumulative-layout-shift"),
                ("SI", "speed-index"),
            )
        )
    )
    for category in CATEGORIES:
        for ref in result["categories"][category]["auditRefs"]:
            audit = metrics[ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lines.append(f"                   below 100: {audit['title']} ({audit.get('displayValue', '')})")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8013)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Set DATABASE_URL to a database with the demo data (make run, or manage.py seed_demo).")
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: run `npm ci` (make browser-deps).")
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as work:
        env = production_env(args.port, str(Path(work) / "static"))
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_until_up(f"http://127.0.0.1:{args.port}/healthz", server)
            pages, _cookie = pages_and_cookie(args.port, env)
            version = json.loads((ROOT / "node_modules" / "lighthouse" / "package.json").read_text())["version"]
            print(f"Lighthouse {version} (mobile, simulated throttling), {chrome}\n")
            for n, (label, url, cookie) in enumerate(pages):
                result = lighthouse(url, cookie, chrome, Path(work) / f"report-{n}.json")
                print(report(label, result), flush=True)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
