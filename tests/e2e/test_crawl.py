"""The crawl of every page each demo user reaches, the error pages and the HTML e-mails (tests/e2e/crawl.py):
0 axe-core violations, 0 Nu HTML checker errors and no horizontal overflow, in Finnish and Swedish at 320, 375 and
1280 px. Prints how many pages were checked and how long it took."""

import os

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.utils import translation

from accounts.demo import demo_password, demo_totp_code

from .crawl import LANGUAGES, Crawler, run

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# (label, e-mail or None for anonymous, whether the user passes a second factor)
USERS = [
    ("anonymous", None, False),
    ("nominator-imatra", "nominator@imatra.demo.fi", False),
    ("nominator-vantaa", "nominator@vantaa.demo.fi", False),
    ("juror", "juror2@demo.fi", True),
    ("chair", "chair@demo.fi", True),
    ("staff", "admin@demo.fi", True),
]


def sign_in(page, base_url: str, email: str, second_factor: bool) -> str:
    page.goto(f"{base_url}/fi/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(demo_password())
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    if second_factor:
        page.locator("#id_token").fill(demo_totp_code())
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
    return page.url.removeprefix(base_url)


def error_and_email_pages(crawler, page) -> None:
    from awards.models import Nomination  # noqa: PLC0415
    from awards.services.nominations import submission_receipt_email  # noqa: PLC0415
    from config.views import server_error  # noqa: PLC0415

    for language in LANGUAGES:
        crawler.visit(page, f"/{language}/ei-tallaista-sivua/", f"404 {language}")
        with translation.override(language):
            crawler.check_html(
                server_error(RequestFactory().get(f"/{language}/")).content.decode(), f"500 {language}", page
            )
        csrf = Client(enforce_csrf_checks=True).post(f"/{language}/accounts/login/", {"username": "x@example.fi"})
        assert csrf.status_code == 403
        crawler.check_html(csrf.content.decode(), f"csrf {language}", page)
        nomination = Nomination.objects.filter(state=Nomination.State.SUBMITTED, created_by__isnull=False).first()
        user = nomination.created_by
        user.preferred_language = language
        message = submission_receipt_email(nomination, user)
        crawler.check_html(message.alternatives[0][0], f"e-mail receipt {language}", page)


def test_crawl_every_page_of_every_demo_user(browser, live_server, tmp_path, capsys):
    call_command("seed_demo", verbosity=0)
    # CRAWL_USERS=staff,juror narrows a run while fixing what it found; make test crawls them all.
    only = {name for name in os.environ.get("CRAWL_USERS", "").split(",") if name}

    def steps(crawler):
        for label, email, second_factor in USERS:
            if only and label not in only:
                continue
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI", bypass_csp=True)
            page = context.new_page()
            start = ["/fi/"]
            if email:
                start.insert(0, sign_in(page, live_server.url, email, second_factor))
            crawler.crawl_user(page, label, start)
            if label == "nominator-imatra":
                crawler.visit(page, "/fi/accounts/staff/invitations/", "403 fi")  # a refusal, in the layout
                crawler.visit(page, "/sv/accounts/staff/invitations/", "403 sv")
            if label == "anonymous" or "errors" in only:
                error_and_email_pages(crawler, page)
            context.close()

    crawler = Crawler(browser, live_server.url, tmp_path / "html")
    result = run(crawler, steps)
    with capsys.disabled():
        print(  # noqa: T201 (the crawl's figures, as benchmarks print theirs)
            f"\ncrawl: {len(result.pages)} page views ({result.html_files} HTML documents checked by vnu) "
            f"in {result.seconds:.0f} s"
        )
    findings = "\n".join(f"{f.where}: {f.what}" for f in result.findings)
    assert not result.findings, f"{len(result.findings)} findings:\n{findings}"
