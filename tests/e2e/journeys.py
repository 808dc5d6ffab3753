"""Shared steps of the browser journeys: signing in as a user would, a small real PDF, overflow checks."""

import io

import pypdf
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.accounts import TEST_PASSWORD


def _minimal_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# A small well-formed one-page PDF, with the cross-reference table the attachment checks read.
MINIMAL_PDF = _minimal_pdf()


def sign_in(page, email: str, *, language: str = "en", next_path: str = "") -> None:
    """Sign in with e-mail and password through the sign-in form."""
    url = f"/{language}/accounts/login/" + (f"?next={next_path}" if next_path else "")
    page.goto(url)
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def pass_second_factor(page, user) -> None:
    """Answer the second-factor form with a TOTP code computed from the user's confirmed device."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    page.locator("#id_token").fill(f"{code:0{device.digits}d}")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def sign_out(page) -> None:
    page.locator("header form[action*='logout'] button, form[action*='logout'] button").first.click()
    page.wait_for_load_state()


def horizontal_overflow(page) -> int:
    """How many pixels the document is wider than the viewport (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
