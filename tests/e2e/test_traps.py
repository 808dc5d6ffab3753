"""Each trap of issue 15 as its user meets it in a real browser: the path that used to hurt, now without the trap."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from awards.models import AwardCycle, CriterionJustification, Decision, JuryMembership, Nomination
from tests.factories import (
    JuryMembershipFactory,
    OrganisationFactory,
    UserFactory,
    complete_draft,
    nominator_for,
)
from tests.factories.jury import ScoringCycleFactory, SubmittedNominationFactory, criteria_for, review_with_scores

from .conftest import LAPTOP, PHONE, assert_accessible
from .journeys import MINIMAL_PDF, horizontal_overflow, pass_second_factor, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def jury_member(cycle, role=JuryMembership.Role.JUROR, **user):
    member = JuryMembershipFactory(cycle=cycle, role=role, user=UserFactory(preferred_language="en", **user)).user
    TOTPDevice.objects.create(user=member, name="phone", confirmed=True)
    return member


def signed_in(new_page, user, path, *, viewport=LAPTOP, verified=True, language="en"):
    page = new_page(viewport=viewport, locale="en-GB")
    sign_in(page, user.email, language=language, next_path=path)
    if verified:
        pass_second_factor(page, user)
        page.wait_for_url(f"**{path}")
    return page


# Jurors and the chair ---------------------------------------------------------------------------------------------


def test_chair_confirming_the_decision_sees_unfinished_reviews_and_closes_the_period_knowingly(new_page):
    cycle = ScoringCycleFactory(jury_quorum=2)
    criteria_for(cycle, weights=(1,))
    chair = jury_member(cycle, JuryMembership.Role.CHAIR)
    late_juror = jury_member(cycle, first_name="Myöhäinen", last_name="Juryläinen")
    winner = SubmittedNominationFactory(cycle=cycle, name="Kotikäynnit")
    review_with_scores(chair, winner, [5])
    page = signed_in(new_page, chair, f"/en/tuomaristo/{cycle.year}/")
    # The chair finds the decision from the worklist.
    page.get_by_role("link", name="The jury's decision").click()
    page.wait_for_url(f"**/en/palkinto/{cycle.year}/paatos/")
    page.locator("select[name$=result]").first.select_option("winner")
    page.locator("textarea[name$=citation_fi]").first.fill("Hieno teko.")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_load_state()
    confirm = page.locator("form[action$='/vahvista/']")
    text = confirm.inner_text()
    assert "The jury period is still open" in text
    assert "1 review is unfinished" in text
    assert "Myöhäinen Juryläinen" in text
    assert "fewer than 2 scored reviews" in text
    assert_accessible(page)
    confirm.get_by_role("button", name="Close the jury period and confirm the decision").click()
    page.wait_for_load_state()
    cycle.refresh_from_db()
    assert cycle.jury_closed_at is not None
    assert Decision.objects.get(cycle=cycle).state == Decision.State.CONFIRMED
    late = signed_in(new_page, late_juror, f"/en/tuomaristo/{cycle.year}/")
    expect(late.get_by_text("The jury period is closed")).to_be_visible()


def test_staff_close_the_jury_period_as_its_own_step_after_seeing_who_is_unfinished(new_page):
    cycle = ScoringCycleFactory()
    criteria_for(cycle, weights=(1,))
    jury_member(cycle, first_name="Keskeneräinen", last_name="Jäsen")
    SubmittedNominationFactory(cycle=cycle)
    staff = UserFactory(is_staff=True, preferred_language="en")
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    page = signed_in(new_page, staff, f"/en/tuomaristo/{cycle.year}/hallinta/")
    page.get_by_role("link", name="Close the jury period…").click()
    page.wait_for_url(f"**/en/tuomaristo/{cycle.year}/sulje/")
    assert "Keskeneräinen Jäsen" in page.locator("main").inner_text()
    assert_accessible(page)
    cycle.refresh_from_db()
    assert cycle.jury_closed_at is None  # looking changes nothing
    page.get_by_role("button", name="Close the jury period now").click()
    page.wait_for_load_state()
    cycle.refresh_from_db()
    assert cycle.jury_closed_at is not None


def test_juror_reads_the_justifications_places_and_attachments_beside_the_scores(new_page, tmp_path):
    from practices.models import Municipality  # noqa: PLC0415
    from tests.awards.test_jury_reading import store  # noqa: PLC0415

    cycle = ScoringCycleFactory()
    (criterion,) = criteria_for(cycle, weights=(1,))
    juror = jury_member(cycle)
    nomination = SubmittedNominationFactory(
        cycle=cycle, name="Perhetyö", contact_email="salainen@example.fi", contact_phone="040 111 2222"
    )
    CriterionJustification.objects.create(nomination=nomination, criterion=criterion, text="Näin se toimii.")
    nomination.municipalities.set(Municipality.objects.filter(code="153"))
    pdf = store(nomination, "suunnitelma.pdf", MINIMAL_PDF)
    page = signed_in(new_page, juror, f"/en/tuomaristo/{cycle.year}/ehdotus/{nomination.pk}/")
    fieldset = page.locator("fieldset.criterion").first
    expect(fieldset.locator(".justification")).to_contain_text("Näin se toimii.")
    expect(fieldset.get_by_role("radio").first).to_be_visible()
    expect(page.locator(".places")).to_contain_text("Imatra")
    assert "salainen@example.fi" not in page.content()
    link = page.get_by_role("link", name="suunnitelma.pdf")
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert pdf.original_name in response.headers["content-disposition"]
    assert_accessible(page)


def test_new_juror_sets_up_the_authenticator_on_the_phone_and_lands_on_the_worklist(new_page):
    from django_otp.oath import totp  # noqa: PLC0415

    cycle = ScoringCycleFactory()
    juror = JuryMembershipFactory(cycle=cycle, user=UserFactory(preferred_language="en")).user
    page = new_page(viewport=PHONE, locale="en-GB")
    sign_in(page, juror.email)
    page.wait_for_url("**/two-factor/setup/**")
    link = page.get_by_role("link", name="Open in your authenticator app")
    assert link.get_attribute("href").startswith("otpauth://totp/")
    key = page.locator("#otp-key").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )*[A-Z2-7]{1,4}", key)
    assert horizontal_overflow(page) <= 0
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=juror, confirmed=False)
    page.locator("#id_token").fill(f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6):06d}")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/two-factor/recovery-codes/**")
    page.get_by_role("link", name="I have saved the codes").click()
    page.wait_for_url(f"**/en/tuomaristo/{cycle.year}/")
    assert "/profile/" not in page.url


def test_staff_publish_from_a_confirmation_that_counts_and_previews_the_emails(new_page):
    from tests.factories import decided_cycle  # noqa: PLC0415

    data = decided_cycle()
    staff = UserFactory(is_staff=True, preferred_language="en")
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    year = data.cycle.year
    page = signed_in(new_page, staff, f"/en/palkinto/{year}/julkistus/")
    assert page.get_by_role("button", name="Publish the result").count() == 0  # no one-click publishing
    page.get_by_role("link", name="Review and publish…").click()
    page.wait_for_url(f"**/en/palkinto/{year}/julkistus/julkaise/")
    main = page.locator("main")
    expect(main).to_contain_text("2 e-mails to the nominators")
    expect(main.locator("table").first).to_contain_text("Swedish")
    page.locator("details summary").first.click()
    expect(page.locator("details .email-text").first).to_be_visible()
    assert mail.outbox == []
    assert_accessible(page)
    page.get_by_role("button", name="Publish the result").click()
    page.wait_for_load_state()
    data.cycle.refresh_from_db()
    assert data.cycle.state == AwardCycle.State.PUBLISHED
    assert len(mail.outbox) == 2


def test_signed_in_nominator_gets_a_plain_refusal_on_jury_pages_not_a_redirect_loop(new_page):
    cycle = ScoringCycleFactory()
    nominator = nominator_for(OrganisationFactory(), preferred_language="en")
    page = new_page(viewport=LAPTOP, locale="en-GB")
    sign_in(page, nominator.email)
    expect(page.locator("header nav")).not_to_contain_text("Jury")
    for path in (
        f"/en/tuomaristo/{cycle.year}/",
        f"/en/tuomaristo/{cycle.year}/paremmuus/",
        f"/en/tuomaristo/{cycle.year}/hallinta/",
        f"/en/palkinto/{cycle.year}/paatos/",
        "/en/palkinto/paatokset/",
    ):
        response = page.goto(path)  # a redirect loop would raise ERR_TOO_MANY_REDIRECTS here
        assert response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)


# Nominators -------------------------------------------------------------------------------------------------------


def english_nominator(nomination):
    user = nomination.organisation.memberships.first().user
    user.preferred_language = "en"  # signing in switches to the user's language: these steps read English
    user.save()
    return user


def test_nominator_whose_session_ended_loses_no_text(new_page):
    from django.contrib.sessions.models import Session  # noqa: PLC0415

    nomination = complete_draft()
    user = english_nominator(nomination)
    page = new_page(viewport=LAPTOP, locale="en-GB")
    sign_in(page, user.email)
    page.goto(f"/en/ehdotukset/{nomination.pk}/muokkaa/")
    page.locator("#id_evaluation").fill("Arvioitu kahdesti, kirjoitettu ennen kuin istunto päättyi.")
    Session.objects.all().delete()  # two hours idle: the session is gone on the server
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/accounts/login/**")
    expect(page.get_by_text("Your text is kept")).to_be_visible()
    page.locator("#id_username").fill(user.email)
    from tests.factories.accounts import TEST_PASSWORD  # noqa: PLC0415

    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/ehdotukset/{nomination.pk}/muokkaa/")
    expect(page.get_by_text("Your changes from before the sign-in are saved.")).to_be_visible()
    nomination.refresh_from_db()
    assert nomination.evaluation == "Arvioitu kahdesti, kirjoitettu ennen kuin istunto päättyi."


def test_nomination_draft_saves_itself_as_the_nominator_types(new_page):
    nomination = complete_draft()
    user = english_nominator(nomination)
    page = new_page(viewport=LAPTOP, locale="en-GB")
    sign_in(page, user.email)
    page.goto(f"/en/ehdotukset/{nomination.pk}/muokkaa/")
    page.locator("#id_resources").fill("Kaksi työntekijää.")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved automatically", timeout=15000)
    nomination.refresh_from_db()
    assert nomination.resources == "Kaksi työntekijää."


def test_nomination_form_marks_required_counts_limits_and_picks_municipalities_by_keyboard(new_page):
    nomination = complete_draft()
    user = nomination.organisation.memberships.first().user
    page = new_page(viewport=PHONE, locale="fi-FI")
    sign_in(page, user.email, language="fi")
    page.goto(f"/fi/ehdotukset/{nomination.pk}/muokkaa/")
    expect(page.locator("label[for=id_summary] .required-marker")).to_be_visible()
    page.locator("#id_summary").fill("x" * 1005)
    expect(page.locator(".char-count.over").first).to_contain_text("1005")
    # The municipalities: a filter box, then a checkbox chosen with the keyboard.
    picker = page.locator("#div_id_municipalities")
    filter_box = picker.get_by_role("searchbox")
    filter_box.fill("lappeen")
    visible = picker.locator(".form-check:visible")
    expect(visible).to_have_count(2)  # Lappeenranta, and the already chosen Imatra
    filter_box.press("Enter")
    page.keyboard.press("Space")
    expect(picker.locator(".picker-chosen")).to_contain_text("Lappeenranta")
    assert "Select an option" not in page.content()
    assert horizontal_overflow(page) <= 0
    assert_accessible(page)


def test_municipality_picker_works_without_javascript(browser, live_server):
    nomination = complete_draft()
    user = nomination.organisation.memberships.first().user
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    sign_in(page, user.email)
    page.goto(f"/en/ehdotukset/{nomination.pk}/muokkaa/")
    page.get_by_label("Lappeenranta").check()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    assert set(nomination.municipalities.values_list("name_fi", flat=True)) == {"Imatra", "Lappeenranta"}
    context.close()


def test_nominator_checks_the_nomination_as_the_jury_will_read_it_before_submitting(new_page):
    nomination = complete_draft(contact_email="yhteys@example.fi")
    user = english_nominator(nomination)
    page = new_page(viewport=LAPTOP, locale="en-GB")
    sign_in(page, user.email)
    page.goto(f"/en/ehdotukset/{nomination.pk}/muokkaa/")
    page.get_by_role("button", name="Save and check before submitting").click()
    page.wait_for_url(f"**/en/ehdotukset/{nomination.pk}/laheta/")
    main = page.locator("main")
    expect(main).to_contain_text("as the jury will read it")
    expect(main).to_contain_text("What happens next")
    expect(main).to_contain_text("Until the deadline")
    assert "yhteys@example.fi" not in main.inner_text()
    assert_accessible(page)
    mail.outbox.clear()
    page.get_by_role("button", name="Submit the nomination").click()
    page.wait_for_url(f"**/en/ehdotukset/{nomination.pk}/")
    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.SUBMITTED
    (receipt,) = mail.outbox
    assert "What happens next" in receipt.body


def test_first_sign_in_lands_a_nominator_on_their_nominations_with_a_start_button(new_page):
    from tests.factories import open_cycle_with_criteria  # noqa: PLC0415

    open_cycle_with_criteria()
    nominator = nominator_for(OrganisationFactory(), preferred_language="en")
    page = new_page(viewport=LAPTOP, locale="en-GB")
    page.goto("/en/palkinto/haku/")
    expect(page.get_by_role("link", name="Ask for an account").first).to_be_visible()
    sign_in(page, nominator.email)
    page.wait_for_url("**/en/ehdotukset/")
    expect(page.get_by_role("link", name="Start a nomination")).to_be_visible()


def test_person_at_an_organisations_domain_nominates_without_waiting_for_staff(new_page):
    from practices.models import OrganisationDomain  # noqa: PLC0415

    organisation = OrganisationFactory(name="Vantaan kaupunki")
    OrganisationDomain.objects.create(organisation=organisation, domain="vantaa.fi")
    page = new_page(viewport=PHONE, locale="en-GB")
    page.goto("/en/accounts/request/")
    page.get_by_label("First name").fill("Ville")
    page.get_by_label("Last name").fill("Vantaalainen")
    page.get_by_label("E-mail address").fill("ville@vantaa.fi")
    page.get_by_label("Organisation", exact=True).select_option(label="Vantaan kaupunki")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("we sent you a link")
    link = re.search(r"https?://\S+?(/\w\w/accounts/domain/\S+/)", mail.outbox[-1].body)[1]
    page.goto(link)
    page.get_by_role("button", name="Confirm and continue").click()
    page.wait_for_url("**/accounts/password/reset/**")
    assert organisation.memberships.filter(user__email="ville@vantaa.fi", can_nominate=True).exists()


def test_staff_approve_a_second_person_of_the_same_new_organisation(new_page):
    from accounts.models import AccountRequest  # noqa: PLC0415

    for email in ("eka@example.fi", "toka@example.fi"):
        AccountRequest.objects.create(first_name="T", last_name="U", email=email, organisation_name="Uusi yhtymä")
    staff = UserFactory(is_staff=True, preferred_language="en")
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    page = signed_in(new_page, staff, "/en/accounts/staff/account-requests/")
    for _ in range(2):
        form = page.locator("main form").first
        form.get_by_label("Decision").select_option("approve_new")
        form.get_by_label("Type of the new organisation").select_option(index=1)
        form.get_by_role("button", name="Save the decision").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Account requests"  # not a 500
    assert AccountRequest.objects.filter(state="approved").count() == 2


# Everyone ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_error_pages_have_the_layout_in_the_visitors_language(new_page, language):
    page = new_page(viewport=PHONE)
    response = page.goto(f"/{language}/ei-tallaista-sivua/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == language
    expect(page.get_by_role("link", name=re.compile("."), exact=False).first).to_be_visible()
    assert page.locator("main h1").count() == 1
    assert_accessible(page)
    page.goto(f"/{language}/accounts/login/")
    page.evaluate("document.querySelector('main form input[name=csrfmiddlewaretoken]').value = 'forged'")
    page.context.clear_cookies()
    page.locator("#id_username").fill("someone@example.fi")
    page.locator("#id_password").fill("x")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language
    assert "DEBUG" not in page.content()
    assert_accessible(page)


def test_county_list_fits_a_phone_and_sorts_in_the_swedish_alphabet(new_page):
    page = new_page(viewport={"width": 320, "height": 800})
    page.goto("/sv/hyvinvointialueet/")
    assert horizontal_overflow(page) <= 0
    names = page.locator("main table tbody tr td:first-child").all_inner_texts()
    assert names[-3:] == ["Åland", "Österbottens välfärdsområde", "Östra Nylands välfärdsområde"]


def test_focus_moves_to_the_first_error_and_an_attachment_error_is_shown_once(new_page, tmp_path):
    nomination = complete_draft()
    user = english_nominator(nomination)
    page = new_page(viewport=LAPTOP, locale="en-GB")
    sign_in(page, user.email)
    page.goto(f"/en/ehdotukset/{nomination.pk}/muokkaa/")
    bad = tmp_path / "notes.txt"
    bad.write_text("not an allowed type")
    page.locator("#id_new_attachments").set_input_files(str(bad))
    page.locator("#id_contact_email").fill("not an address")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") in {"id_contact_email", "id_new_attachments"}
    assert page.locator("main").inner_text().count("notes.txt is not of an allowed type") == 1
    page.goto(f"/en/ehdotukset/{nomination.pk}/")
    withdraw = page.get_by_role("link", name=re.compile("Withdraw the nomination"))
    assert nomination.name in (withdraw.text_content() or "")


def test_deadline_in_the_past_hides_nothing_from_staff_close_page_after_period(new_page):
    """The close page after the period has passed says so instead of offering to close it again."""
    cycle = ScoringCycleFactory(jury_closes_at=timezone.now() - timedelta(minutes=1))
    staff = UserFactory(is_staff=True, preferred_language="en")
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    page = signed_in(new_page, staff, f"/en/tuomaristo/{cycle.year}/sulje/")
    expect(page.locator("main")).to_contain_text("The jury period is not open.")
