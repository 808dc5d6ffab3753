"""The three journeys of the service in a real browser, each page checked with axe-core and photographed."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

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

    page.goto("/en/accounts/login/")
    assert_accessible(page)
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
    expect(page.get_by_text("Saved.")).to_be_visible()
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
    page.locator("#div_id_municipalities").get_by_label(Municipality.objects.get(code="153").name_en).check()
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
    expect(page.get_by_role("link", name="plan.pdf")).to_be_visible()
    assert "All required parts are filled in" in page.locator("#checklist-heading").locator("xpath=..").inner_text()
    assert_accessible(page)

    mail.outbox.clear()
    page.get_by_role("button", name="Save and check before submitting").click()
    page.wait_for_url(f"**/en/ehdotukset/{nomination.pk}/laheta/")
    assert_accessible(page)
    page.get_by_role("button", name="Submit the nomination").click()
    page.wait_for_url(f"**/en/ehdotukset/{nomination.pk}/")
    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.SUBMITTED
    assert nomination.reference
    assert nomination.reference in page.locator("main").inner_text()
    assert nomination.attachments.count() == 1
    assert_accessible(page)
    screenshot(page, "nomination-submitted-laptop")
    confirmations = [message for message in mail.outbox if nominator.email in message.to]
    assert len(confirmations) == 1
    assert nomination.reference in confirmations[0].body


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
    assert_accessible(page)


@pytest.fixture
def scoring_cycle():
    """A cycle in scoring with two criteria, a juror and a chair (each with a confirmed authenticator), and two
    submitted nominations; the chair has already scored both (the first higher)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: PLC0415

    from awards.models import JuryMembership  # noqa: PLC0415
    from tests.factories import JuryMembershipFactory, UserFactory  # noqa: PLC0415
    from tests.factories.jury import (  # noqa: PLC0415
        ScoringCycleFactory,
        SubmittedNominationFactory,
        criteria_for,
        review_with_scores,
    )

    cycle = ScoringCycleFactory()
    criteria_for(cycle, weights=(2, 1))
    juror = JuryMembershipFactory(cycle=cycle, user=UserFactory(preferred_language="en")).user
    chair = JuryMembershipFactory(
        cycle=cycle, role=JuryMembership.Role.CHAIR, user=UserFactory(preferred_language="en")
    ).user
    for user in (juror, chair):
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    first = SubmittedNominationFactory(cycle=cycle, name="Home visits for families")
    second = SubmittedNominationFactory(cycle=cycle, name="School social work at lunch")
    review_with_scores(chair, first, [5, 5])
    review_with_scores(chair, second, [4, 4])
    return cycle, juror, chair, first, second


def test_juror_review_saves_itself_as_a_draft_while_scoring(new_page, scoring_cycle):
    from awards.models import Review  # noqa: PLC0415

    from .journeys import pass_second_factor  # noqa: PLC0415

    cycle, juror, _chair, first, _second = scoring_cycle
    page = new_page(viewport=LAPTOP, locale="en-GB")
    sign_in(page, juror.email, next_path=f"/en/tuomaristo/{cycle.year}/ehdotus/{first.pk}/")
    pass_second_factor(page, juror)
    page.wait_for_url(re.compile(rf"/en/tuomaristo/{cycle.year}/ehdotus/{first.pk}/$"))
    criterion = cycle.criteria.order_by("order").first()
    page.locator(f"input[name=score_{criterion.pk}][value='3']").check()
    page.locator("#id_overall_comment").fill("Luonnos, tallentuu itsestään.")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved at", timeout=15000)
    review = Review.objects.get(juror=juror, nomination=first)
    assert review.state == Review.State.DRAFT
    assert review.overall_comment == "Luonnos, tallentuu itsestään."
    assert list(review.scores.filter(criterion=criterion).values_list("value", flat=True)) == [3]


def test_juror_journey_second_factor_scores_and_chair_sees_ranking(new_page, scoring_cycle):
    from awards.models import Review  # noqa: PLC0415

    from .journeys import pass_second_factor  # noqa: PLC0415

    cycle, juror, chair, first, _second = scoring_cycle
    page = new_page(viewport=LAPTOP, locale="en-GB")
    sign_in(page, juror.email, next_path=f"/en/tuomaristo/{cycle.year}/")
    assert "/two-factor/verify/" in page.url
    assert_accessible(page)
    pass_second_factor(page, juror)
    page.wait_for_url(f"**/en/tuomaristo/{cycle.year}/")
    assert_accessible(page)
    screenshot(page, "jury-worklist-laptop")

    page.get_by_role("link", name="Home visits for families").first.click()
    page.wait_for_url(re.compile(rf"/en/tuomaristo/{cycle.year}/ehdotus/{first.pk}/$"))
    assert_accessible(page)
    for criterion, value in zip(cycle.criteria.order_by("order"), (5, 4), strict=True):
        page.locator(f"input[name=score_{criterion.pk}][value='{value}']").check()
    page.locator("#id_overall_comment").fill("A clear model that others can adopt.")
    screenshot(page, "jury-review-laptop")
    page.get_by_role("button", name="Submit review").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Your review is submitted. Thank you.")).to_be_visible()
    assert_accessible(page)
    review = Review.objects.get(juror=juror, nomination=first)
    assert review.state == Review.State.SUBMITTED
    assert sorted(review.scores.values_list("value", flat=True)) == [4, 5]

    chair_page = new_page(viewport=LAPTOP, locale="en-GB")
    sign_in(chair_page, chair.email, next_path=f"/en/tuomaristo/{cycle.year}/paremmuus/")
    pass_second_factor(chair_page, chair)
    chair_page.wait_for_url(f"**/en/tuomaristo/{cycle.year}/paremmuus/")
    assert_accessible(chair_page)
    screenshot(chair_page, "jury-ranking-laptop")
    table = chair_page.locator("main table").first.inner_text()
    # Weights 2 and 1. First: chair (5,5) → 5, juror (5,4) → 14/3, mean 4.83; second: chair (4,4) → 4 only.
    assert table.index("Home visits for families") < table.index("School social work at lunch")
    first_row = chair_page.locator("main table tbody tr", has_text="Home visits for families").first.inner_text()
    assert "4.83" in first_row  # the juror's new review counts
    # Numbers follow the language: a decimal comma in Finnish.
    chair_page.goto(f"/fi/tuomaristo/{cycle.year}/paremmuus/")
    assert "4,83" in chair_page.locator("main table tbody tr", has_text="Home visits for families").first.inner_text()


@pytest.mark.parametrize(("width_name", "viewport"), [("phone", PHONE), ("laptop", LAPTOP)])
def test_scoring_view_fits_the_screen(new_page, scoring_cycle, width_name, viewport):
    from .journeys import pass_second_factor  # noqa: PLC0415

    cycle, juror, _chair, first, _second = scoring_cycle
    page = new_page(viewport=viewport, locale="en-GB")
    path = f"/en/tuomaristo/{cycle.year}/ehdotus/{first.pk}/"
    sign_in(page, juror.email, next_path=path)
    pass_second_factor(page, juror)
    page.wait_for_url(f"**{path}")
    screenshot(page, f"jury-review-{width_name}")
    assert horizontal_overflow(page) <= 0
    assert_accessible(page)
    page.goto(f"/en/tuomaristo/{cycle.year}/")
    screenshot(page, f"jury-worklist-{width_name}")
    assert horizontal_overflow(page) <= 0
    assert_accessible(page)


def test_staff_publish_and_anonymous_visitor_finds_the_winner(new_page):
    from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: PLC0415

    from awards.models import AwardCycle  # noqa: PLC0415
    from tests.factories import UserFactory, decided_cycle  # noqa: PLC0415

    from .journeys import pass_second_factor  # noqa: PLC0415

    data = decided_cycle()
    year = data.cycle.year
    practice = data.winner.practice
    practice.name = "Neighbourhood family mentors"
    practice.save()
    data.winner.name = practice.name
    data.winner.save()
    staff = UserFactory(is_staff=True, preferred_language="en")
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)

    page = new_page(viewport=LAPTOP, locale="en-GB")
    sign_in(page, staff.email, next_path=f"/en/palkinto/{year}/julkistus/")
    pass_second_factor(page, staff)
    page.wait_for_url(f"**/en/palkinto/{year}/julkistus/")
    assert_accessible(page)
    screenshot(page, "publication-laptop")
    mail.outbox.clear()
    page.get_by_role("link", name="Review and publish…").click()
    page.wait_for_url(f"**/en/palkinto/{year}/julkistus/julkaise/")
    assert_accessible(page)
    page.get_by_role("button", name="Publish the result").click()
    page.wait_for_load_state()
    expect(page.get_by_text("The result is published")).to_be_visible()
    assert_accessible(page)
    data.cycle.refresh_from_db()
    assert data.cycle.state == AwardCycle.State.PUBLISHED
    assert {address for message in mail.outbox for address in message.to} >= {data.winner_nominator.email}

    for width_name, viewport in (("phone", PHONE), ("laptop", LAPTOP)):
        visitor = new_page(viewport=viewport, locale="en-GB")
        visitor.goto(f"/en/palkinto/{year}/")
        assert "Neighbourhood family mentors" in visitor.locator("main").inner_text()
        assert_accessible(visitor)
        screenshot(visitor, f"year-page-{width_name}")
        assert horizontal_overflow(visitor) <= 0

        visitor.goto("/en/kaytannot/")
        visitor.locator("#id_q").fill("family mentors")
        visitor.locator("#id_q").press("Enter")
        visitor.wait_for_url(re.compile(r"/en/kaytannot/\?.*q=family"))
        results = visitor.locator("main")
        expect(results.get_by_role("link", name="Neighbourhood family mentors").first).to_be_visible()
        assert_accessible(visitor)
        screenshot(visitor, f"library-search-{width_name}")
        assert horizontal_overflow(visitor) <= 0

        visitor.get_by_role("link", name="Neighbourhood family mentors").first.click()
        visitor.wait_for_url(f"**/en/kaytannot/{practice.slug}/")
        assert_accessible(visitor)
        screenshot(visitor, f"practice-{width_name}")


def test_nomination_form_errors_are_announced_and_linked_to_their_fields(new_page):
    from tests.factories import complete_draft  # noqa: PLC0415

    nomination = complete_draft()
    user = nomination.organisation.memberships.first().user
    page = new_page(viewport=LAPTOP, locale="en-GB")
    sign_in(page, user.email)
    page.goto(f"/en/ehdotukset/{nomination.pk}/muokkaa/")
    page.locator("#id_contact_email").fill("not an address")
    page.locator("#id_summary").fill("Kept although the e-mail is wrong.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    field = page.locator("#id_contact_email")
    assert field.get_attribute("aria-invalid") == "true"
    described_by = (field.get_attribute("aria-describedby") or "").split()
    error_texts = [page.locator(f"[id='{ident}']").inner_text() for ident in described_by]
    assert any("enter a valid email address" in text.lower() for text in error_texts), error_texts
    expect(page.locator("[role=alert]").first).to_be_visible()
    assert field.input_value() == "not an address"
    assert page.locator("#id_summary").input_value() == "Kept although the e-mail is wrong."
    assert_accessible(page)


def test_nomination_form_works_with_the_keyboard_only(new_page):
    from tests.factories import complete_draft  # noqa: PLC0415

    nomination = complete_draft()
    user = nomination.organisation.memberships.first().user
    page = new_page(viewport=LAPTOP, locale="en-GB")
    sign_in(page, user.email)
    page.goto(f"/en/ehdotukset/{nomination.pk}/muokkaa/")
    # The fields in the order they appear on the page.
    expected = page.eval_on_selector_all(
        "#nomination-form :is(input, textarea, select, button):not([type=hidden]):not([tabindex='-1'])",
        "els => els.map(e => e.id || e.value)",
    )
    page.locator("body").focus()
    reached = []
    for _ in range(200):
        page.keyboard.press("Tab")
        active = page.evaluate(
            "(() => { const e = document.activeElement;"
            " return e.closest('#nomination-form') ? (e.id || e.value) : null; })()"
        )
        if active and (not reached or reached[-1] != active):
            reached.append(active)
        if active == "save":
            break
    # Every field before the save button is reached, once each, in the order of the page.
    assert reached == expected[: expected.index("save") + 1]
    assert {"id_name", "id_contact_email", "id_new_attachments"} <= set(reached)

    # A visible focus indicator on a field.
    page.locator("#id_contact_title").focus()
    outline = page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle + getComputedStyle(document.activeElement).boxShadow"
    )
    assert outline != "none" + "none"

    # Type into a field and submit with Enter: the form's first button saves the draft.
    page.keyboard.type("Head of family services")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Saved.")).to_be_visible()
    nomination.refresh_from_db()
    assert nomination.contact_title == "Head of family services"


def test_sign_in_error_is_announced_and_keeps_the_address(page):
    from tests.factories import UserFactory  # noqa: PLC0415

    user = UserFactory(email="someone@example.fi")
    page.goto("/en/accounts/login/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill("wrong password")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main [role=alert]").first).to_be_visible()
    assert page.locator("#id_username").input_value() == user.email
    assert_accessible(page)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_journey_pages_have_no_wcag_violations_in_finnish_and_swedish(new_page, scoring_cycle, language):
    from tests.factories import complete_draft  # noqa: PLC0415

    from .journeys import pass_second_factor  # noqa: PLC0415

    nomination = complete_draft()
    nominator = nomination.organisation.memberships.first().user
    page = new_page(viewport=PHONE)
    sign_in(page, nominator.email, language=language)
    for path in ("ehdotukset/", "ehdotukset/uusi/", f"ehdotukset/{nomination.pk}/muokkaa/", "palkinto/haku/"):
        page.goto(f"/{language}/{path}")
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page)

    cycle, juror, _chair, first, _second = scoring_cycle
    jury_page = new_page(viewport=PHONE)
    sign_in(jury_page, juror.email, language=language, next_path=f"/{language}/tuomaristo/{cycle.year}/")
    assert_accessible(jury_page)
    pass_second_factor(jury_page, juror)
    for path in (f"tuomaristo/{cycle.year}/", f"tuomaristo/{cycle.year}/ehdotus/{first.pk}/", "kaytannot/"):
        jury_page.goto(f"/{language}/{path}")
        assert jury_page.locator("html").get_attribute("lang") == language
        assert_accessible(jury_page)
