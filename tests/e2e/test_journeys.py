"""The three journeys of the service in a real browser, each page checked with axe-core and photographed."""

import re

import pytest
from django.core import mail

from awards.models import Nomination
from practices.models import Municipality
from tests.factories import OrganisationFactory, nominator_for, open_cycle_with_criteria

from .conftest import LAPTOP, PHONE, assert_accessible, screenshot
from .journeys import MINIMAL_PDF, horizontal_overflow, sign_in, sign_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_nominator_journey_drafts_returns_and_submits_with_attachment(new_page, tmp_path):
    cycle = open_cycle_with_criteria(count=2)
    organisation = OrganisationFactory(name="Testikaupunki")
    nominator = nominator_for(organisation, email="nominator@example.fi", preferred_language="en")
    page = new_page(viewport=LAPTOP, locale="en-GB")

    sign_in(page, nominator.email)
    assert_accessible(page)
    page.goto("/en/ehdotukset/uusi/")
    assert_accessible(page)
    page.get_by_label("Name of the new practice").fill("Family coaching at home")
    page.get_by_role("button", name="Start the nomination").click()
    page.wait_for_url(re.compile(r"/en/ehdotukset/\d+/muokkaa/$"))
    nomination = Nomination.objects.get(organisation=organisation)
    assert nomination.cycle == cycle
    assert nomination.state == Nomination.State.DRAFT

    page.get_by_label("Short description").fill("Coaches visit families at home every week.")
    page.get_by_label("Basic idea").fill("Early, practical help where the family lives.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    assert page.get_by_text("Saved.").is_visible()
    assert_accessible(page)
    nomination.refresh_from_db()
    assert nomination.summary == "Coaches visit families at home every week."

    sign_out(page)
    sign_in(page, nominator.email, next_path="/en/ehdotukset/")
    page.goto("/en/ehdotukset/")
    assert_accessible(page)
    page.get_by_role("link", name="Family coaching at home").first.click()
    page.wait_for_load_state()
    if "/muokkaa/" not in page.url:
        page.goto(f"/en/ehdotukset/{nomination.pk}/muokkaa/")
    checklist = page.locator("#checklist-heading").locator("xpath=..")
    assert "Achieved changes" in checklist.inner_text()
    assert page.get_by_label("Short description").input_value() == "Coaches visit families at home every week."

    page.get_by_label("Target groups", exact=False).first.fill("Families with small children.")
    page.get_by_label("Achieved changes", exact=False).first.fill("Fewer emergency placements.")
    page.locator("#id_municipalities").select_option(label=Municipality.objects.get(code="153").name_fi)
    for criterion in cycle.criteria.all():
        page.locator(f"#id_criterion_{criterion.pk}").fill(f"It meets {criterion.name}.")
    page.locator("#id_contact_name").fill("Kaisa Contact")
    page.locator("#id_contact_email").fill("kaisa@example.fi")
    page.locator("#id_contact_phone").fill("040 123 4567")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    page.locator("#id_new_attachments").set_input_files(str(pdf))
    screenshot(page, "nomination-form-laptop")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="plan.pdf").is_visible()
    assert "All required parts are filled in" in page.locator("#checklist-heading").locator("xpath=..").inner_text()
    assert_accessible(page)

    mail.outbox.clear()
    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_url(f"**/en/ehdotukset/{nomination.pk}/")
    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.SUBMITTED
    assert nomination.reference
    assert nomination.reference in page.locator("main").inner_text()
    assert nomination.attachments.count() == 1
    assert_accessible(page)
    screenshot(page, "nomination-submitted-laptop")
    assert [m.to for m in mail.outbox] == [[nominator.email]] or any(
        nominator.email in m.to for m in mail.outbox
    )
    assert any(nomination.reference in m.body for m in mail.outbox)


@pytest.mark.parametrize(("width_name", "viewport"), [("phone", PHONE), ("laptop", LAPTOP)])
def test_nomination_form_fits_the_screen(new_page, width_name, viewport):
    from tests.factories import complete_draft  # noqa: PLC0415

    nomination = complete_draft()
    user = nomination.organisation.memberships.first().user
    page = new_page(viewport=viewport, locale="en-GB")
    sign_in(page, user.email)
    page.goto(f"/en/ehdotukset/{nomination.pk}/muokkaa/")
    screenshot(page, f"nomination-form-{width_name}")
    assert horizontal_overflow(page) <= 0
