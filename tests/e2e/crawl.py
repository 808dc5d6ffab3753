"""The crawl: every page each demo user can reach by following links, the error pages and the HTML e-mails, in
Finnish and Swedish, at 320, 375 and 1280 px; axe-core (WCAG 2.1 A/AA and best practices), the W3C Nu HTML checker
(vnu-jar, run once in batch on the saved pages with the machine's Java) and horizontal overflow.

Run by tests/e2e/test_crawl.py (so by `make test`). Django's admin is not crawled: it is Django's, not ours.

The page count is bounded by kind: a URL's kind is its view and the names of its query parameters, and each user
visits at most PAGES_PER_KIND URLs of a kind (a practice page is a practice page whichever practice it shows),
which still covers every template a user can reach. Each visited page is checked in both languages at every width.
"""

import json
import re
import subprocess
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils import translation

from accounts.access import is_public

from .conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
WIDTHS = [1280, 375, 320]
LANGUAGES = ["fi", "sv"]
PAGES_PER_KIND = 1
MAX_PAGES_PER_USER = 80

# Not pages of ours, or not pages at all: the admin, signing out, files and machine endpoints.
SKIP = re.compile(
    r"^/(fi|sv|en)/admin/|/accounts/logout/|^/static/|^/media/|\.(csv|xlsx|pdf|xml)$|/pdf/|/liitteet/"
    r"|^/api/v1/(?!docs/)|^/sitemap|/syote/|^/i18n/"
)


@dataclass
class Finding:
    where: str
    what: str


@dataclass
class CrawlResult:
    pages: list[str] = field(default_factory=list)  # "user lang width path"
    findings: list[Finding] = field(default_factory=list)
    html_files: int = 0
    seconds: float = 0.0


def kind_of(url: str) -> str | None:
    parts = urlsplit(url)
    language = parts.path.split("/")[1]
    # i18n_patterns resolve a language prefix only while that language is active.
    with translation.override(language if language in {"fi", "sv", "en"} else "fi"):
        try:
            match = resolve(parts.path)
        except Resolver404:
            return None
    keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    return f"{match.view_name}?{','.join(keys)}"


def in_language(path: str, language: str) -> str:
    return re.sub(r"^/(fi|sv|en)/", f"/{language}/", path)


class Crawler:
    def __init__(self, browser, base_url: str, out_dir: Path):
        self.browser = browser
        self.base_url = base_url.rstrip("/")
        self.out_dir = out_dir
        self.result = CrawlResult()
        self.saved: dict[Path, str] = {}  # saved HTML file → where it came from
        self.public_checked: set[str] = set()  # kinds of public pages checked for a signed-in user
        out_dir.mkdir(parents=True, exist_ok=True)

    # Checks -----------------------------------------------------------------------------------------------------

    def save_html(self, label: str, html: str) -> None:
        name = re.sub(r"[^A-Za-z0-9]+", "_", label).strip("_")[:150] + ".html"
        path = self.out_dir / name
        path.write_text(html, encoding="utf-8")
        self.saved[path] = label
        self.result.html_files += 1

    def axe(self, page, where: str) -> None:
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.add_script_tag(path=str(ROOT / "node_modules" / "axe-core" / "axe.min.js"))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        for violation in result["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            self.result.findings.append(Finding(where, f"axe {violation['id']}: {violation['help']} {targets}"))

    def overflow(self, page, where: str) -> None:
        extra = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if extra > 0:
            # The outermost elements sticking out that no scrolling box clips (a scrolled table is fine).
            culprit = page.evaluate(
                """() => { const w = window.innerWidth; const found = [];
                const clipped = e => { for (let p = e.parentElement; p; p = p.parentElement) {
                  const o = getComputedStyle(p).overflowX;
                  if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
                  return false; };
                const depth = e => { let d = 0; for (let p = e; p; p = p.parentElement) d++; return d; };
                for (const e of document.querySelectorAll('body *')) { const r = e.getBoundingClientRect();
                  if (r.right > w + 1 && r.width > 0 && !clipped(e)) found.push([depth(e), e, Math.round(r.width)]); }
                found.sort((a, b) => b[0] - a[0]);
                return found.slice(0, 4).map(([d, e, width]) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                  + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/ +/).join('.')
                     : '') + ' ' + width + 'px «' + (e.textContent || '').trim().slice(0, 30) + '»'); }"""
            )
            self.result.findings.append(Finding(where, f"overflow by {extra}px: {culprit}"))

    def check_open_page(self, page, label: str) -> None:
        """axe and overflow at every width on the page as it is open (1280 px first)."""
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            where = f"{label} @{width}"
            self.result.pages.append(where)
            self.axe(page, where)
            if width < 1000:
                self.overflow(page, where)
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})

    def visit(self, page, path: str, label: str, *, check: bool = True) -> str | None:
        """Open `path`, check it; returns the HTML as the server sent it (None for anything but an HTML page)."""
        response = page.goto(self.base_url + path)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            return None
        html = response.text()
        if not check:
            return html
        self.save_html(f"{label} {path}", html)
        lang = page.locator("html").get_attribute("lang")
        expected = path.split("/")[1] if path.split("/")[1] in LANGUAGES else lang
        if lang != expected:
            self.result.findings.append(Finding(f"{label} {path}", f"html lang is {lang!r}, expected {expected!r}"))
        self.check_open_page(page, f"{label} {path}")
        return html

    # Crawling ---------------------------------------------------------------------------------------------------

    def links(self, page) -> list[str]:
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        found = []
        for href in hrefs:
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" != self.base_url:
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if not SKIP.search(parts.path):
                found.append(path)
        return found

    def crawl_user(self, page, user_label: str, start: list[str]) -> None:
        """Follow the links from `start`; a public page already checked for another signed-in user is only read
        for its links (it differs from theirs only in the menu, which this user's own pages show)."""
        queue = deque(in_language(path, "fi") for path in start)
        seen_paths: set[str] = set()
        per_kind: dict[str, int] = {}
        visited = 0
        while queue and visited < MAX_PAGES_PER_USER:
            path = queue.popleft()
            if path in seen_paths or (not path.startswith("/fi/") and not path.startswith("/api/")):
                continue
            seen_paths.add(path)
            kind = kind_of(path)
            if kind is None or per_kind.get(kind, 0) >= PAGES_PER_KIND:
                continue
            per_kind[kind] = per_kind.get(kind, 0) + 1
            visited += 1
            check = not (user_label != "anonymous" and is_public(kind.split("?")[0]) and kind in self.public_checked)
            if user_label != "anonymous" and is_public(kind.split("?")[0]):
                self.public_checked.add(kind)
            html = self.visit(page, path, f"{user_label} fi", check=check)
            if html is None:
                continue
            queue.extend(self.links(page))
            if check and path.startswith("/fi/"):
                self.visit(page, in_language(path, "sv"), f"{user_label} sv")

    def check_html(self, html: str, label: str, page) -> None:
        """A page that no link leads to (an error page, an e-mail): served from our origin by route interception,
        so that its styles load, then checked as a page."""
        url = f"{self.base_url}/__crawl__/{len(self.saved)}"
        page.route(url, lambda route: route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8"))
        page.goto(url)
        self.save_html(label, html)
        self.check_open_page(page, label)

    # The Nu HTML checker, once for every saved page ------------------------------------------------------------------

    def run_vnu(self) -> None:
        if not self.saved:
            return
        # The machine's Java and the pinned vnu-jar of node_modules, on our own files: nothing untrusted.
        completed = subprocess.run(  # noqa: S603
            ["java", "-Xss2m", "-jar", str(VNU), "--errors-only", "--format", "json", str(self.out_dir)],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        report = json.loads(completed.stderr or completed.stdout or '{"messages": []}')
        for message in report.get("messages", []):
            if message.get("type") != "error":
                continue
            path = Path(urlsplit(message.get("url", "")).path)
            where = self.saved.get(path, str(path))
            extract = message.get("extract", "").strip()[:80]
            text = f"vnu line {message.get('lastLine')}: {message.get('message')} «{extract}»"
            self.result.findings.append(Finding(where, text))


def run(crawler: Crawler, steps) -> CrawlResult:
    started = time.monotonic()
    steps(crawler)
    crawler.run_vnu()
    crawler.result.seconds = time.monotonic() - started
    return crawler.result
