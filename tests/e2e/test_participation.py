"""Beyond the award platforms, in a real browser: a member of the public proposes a practice and staff turn it into
an invited nomination; a panel member signs in with the e-mailed code on a phone and answers, and the chair sees
both columns; a nominator pastes a personal identity code, is warned, submits anyway, and the jury sees the
nomination only once staff clear it; a follow-up answer appears on the practice's page after staff approve it."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from awards.models import AwardCycle, FollowUp, Nomination, PanelReview, Proposal, SafeguardCheck

from .conftest import LAPTOP, PHONE, assert_accessible, screenshot
from .journeys import horizontal_overflow, pass_second_factor, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HETU = "131052-308T"


def _staff():
    from tests.factories import UserFactory  # noqa: PLC0415

    staff = UserFactory(is_staff=True, preferred_language="en")
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    return staff


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_public_proposes_a_practice_and_staff_turn_it_into_an_invited_nomination(new_page):
    from tests.factories import AwardCycleFactory, OrganisationFactory  # noqa: PLC0415

    cycle = AwardCycleFactory()  # open for nominations
    organisation = OrganisationFactory(name="Imatran kaupunki")
    staff = _staff()

    visitor = new_page(viewport=PHONE, locale="en-GB")
    visitor.goto("/en/palkinto/haku/")
    visitor.get_by_role("link", name="propose a practice").click()
    visitor.wait_for_url("**/en/ehdota/")
    assert_accessible(visitor)
    visitor.get_by_label("Your name").fill("Pirkko Perhe")
    visitor.get_by_label("Your e-mail address").fill("pirkko@example.fi")
    visitor.get_by_label("Name of the practice").fill("Family living room")
    visitor.get_by_label("Organisation").fill("Imatran kaupunki")
    visitor.get_by_label("What the practice is").fill(
        "An open living room where families get help without appointments."
    )
    visitor.get_by_label("Why it deserves the prize").fill("Many families got help early, before problems grew.")
    screenshot(visitor, "proposal-form-phone")
    assert horizontal_overflow(visitor) <= 0
    visitor.get_by_role("button", name="Send the proposal").click()
    visitor.wait_for_url("**/en/ehdota/lahetetty/")
    expect(visitor.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    assert_accessible(visitor)
    proposal = Proposal.objects.get()
    assert proposal.state == Proposal.State.UNVERIFIED

    (message,) = [m for m in mail.outbox if m.to == ["pirkko@example.fi"]]
    link = re.search(r"https?://\S+/ehdota/vahvista/\S+/", message.body).group()
    visitor.goto(_path(link))
    assert_accessible(visitor)
    visitor.get_by_role("button", name="Confirm and send to the organisers").click()
    expect(visitor.get_by_role("heading", name="Proposal received")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.NEW

    page = new_page(viewport=LAPTOP, locale="en-GB")
    sign_in(page, staff.email, next_path="/en/henkilokunta/yleisoehdotukset/")
    pass_second_factor(page, staff)
    page.wait_for_url("**/en/henkilokunta/yleisoehdotukset/")
    assert_accessible(page)
    page.get_by_role("link", name="Family living room").click()
    page.wait_for_url(f"**/en/henkilokunta/yleisoehdotukset/{proposal.pk}/")
    assert_accessible(page)
    screenshot(page, "proposal-staff-laptop")
    invite = page.locator("form", has=page.get_by_role("button", name="Invite and start the nomination"))
    invite.get_by_label("Organisation").select_option(label="Imatran kaupunki")
    invite.get_by_label("E-mail of the person to invite").fill("johtaja@imatra.fi")
    mail.outbox.clear()
    invite.get_by_role("button", name="Invite and start the nomination").click()
    page.wait_for_load_state()
    expect(page.get_by_text("The organisation is invited and a draft nomination was started")).to_be_visible()
    assert_accessible(page)

    proposal.refresh_from_db()
    nomination = proposal.nomination
    assert proposal.state == Proposal.State.INVITED
    assert nomination.organisation == organisation
    assert nomination.cycle == cycle
    assert nomination.state == Nomination.State.DRAFT
    assert sorted(address for m in mail.outbox for address in m.to) == [
        "johtaja@imatra.fi",
        "johtaja@imatra.fi",
        "pirkko@example.fi",
    ]
    page.get_by_role("link", name=nomination.name).click()
    expect(page.get_by_role("heading", name="Proposed by Pirkko Perhe")).to_be_visible()


@pytest.fixture
def panel_cycle():
    from awards.models import JuryMembership  # noqa: PLC0415
    from awards.services.panel import panel_clearance_save, panel_member_add, panel_member_rename  # noqa: PLC0415
    from tests.factories import JuryMembershipFactory, UserFactory  # noqa: PLC0415
    from tests.factories.jury import (  # noqa: PLC0415
        ScoringCycleFactory,
        SubmittedNominationFactory,
        criteria_for,
        review_with_scores,
    )

    cycle = ScoringCycleFactory()
    criteria_for(cycle, weights=(2, 1))
    chair = JuryMembershipFactory(
        cycle=cycle, role=JuryMembership.Role.CHAIR, user=UserFactory(preferred_language="en")
    ).user
    TOTPDevice.objects.create(user=chair, name="phone", confirmed=True)
    first = SubmittedNominationFactory(cycle=cycle, name="Family living room", contact_name="Kaisa Kontakti")
    second = SubmittedNominationFactory(cycle=cycle, name="School social work at lunch")
    review_with_scores(chair, first, [5, 4])
    review_with_scores(chair, second, [3, 3])
    staff = UserFactory(is_staff=True)
    panel_clearance_save(
        nomination=first, by=staff, plain_summary_en="Families can come in without booking. Someone listens."
    )
    member = panel_member_add(
        cycle=cycle,
        user=UserFactory(password=None, first_name="Aada", email="aada@example.fi", preferred_language="en"),
    )
    panel_member_rename(membership=member, pseudonym="Fox", by=staff)
    return cycle, chair, member, first


def test_panel_member_signs_in_with_the_emailed_code_on_a_phone_and_answers_and_the_chair_sees_both_columns(
    new_page, panel_cycle
):
    cycle, chair, _member, first = panel_cycle
    page = new_page(viewport=PHONE, locale="en-GB")
    page.goto("/en/asiakasraati/kirjaudu/")
    assert_accessible(page)
    page.get_by_label("Your e-mail address").fill("aada@example.fi")
    mail.outbox.clear()
    page.get_by_role("button", name="Send me a code").click()
    page.wait_for_url("**/en/asiakasraati/kirjaudu/koodi/")
    assert_accessible(page)
    (message,) = mail.outbox
    code = re.search(r"^\s*(\d{6})\s*$", message.body, re.MULTILINE).group(1)
    page.get_by_label("The code from the e-mail").fill(code)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/en/asiakasraati/")
    assert_accessible(page)
    page.get_by_role("link", name=f"The practices of {cycle.year}").click()
    page.wait_for_url(f"**/en/asiakasraati/{cycle.year}/")
    assert_accessible(page)
    screenshot(page, "panel-worklist-phone")
    assert page.get_by_text("School social work at lunch").count() == 0  # not cleared for the panel
    page.get_by_role("link", name=re.compile("Family living room")).click()
    page.wait_for_url(f"**/en/asiakasraati/{cycle.year}/ehdotus/{first.pk}/")
    expect(page.get_by_text("Families can come in without booking. Someone listens.")).to_be_visible()
    assert "Kaisa Kontakti" not in page.locator("main").inner_text()
    assert_accessible(page)
    assert horizontal_overflow(page) <= 0
    questions = list(cycle.panel_questions.order_by("order"))
    for question, label in zip(questions, ["Very much", "Quite a lot", "I cannot say", "Very much"], strict=True):
        page.get_by_role("group", name=question.text_en).get_by_label(label, exact=True).check()
    page.get_by_label("What would you like the jury to know?").fill("This would have helped my family.")
    screenshot(page, "panel-review-phone")
    page.get_by_role("button", name="Send my answers to the jury").click()
    page.wait_for_url(f"**/en/asiakasraati/{cycle.year}/")
    expect(page.get_by_text("Thank you! Your answers are now with the jury.")).to_be_visible()
    review = PanelReview.objects.get()
    assert review.state == PanelReview.State.SUBMITTED
    assert sorted(a.value or 0 for a in review.answers.all()) == [0, 3, 4, 4]

    chair_page = new_page(viewport=LAPTOP, locale="en-GB")
    sign_in(chair_page, chair.email, next_path=f"/en/tuomaristo/{cycle.year}/paremmuus/")
    pass_second_factor(chair_page, chair)
    chair_page.wait_for_url(f"**/en/tuomaristo/{cycle.year}/paremmuus/")
    assert_accessible(chair_page)
    screenshot(chair_page, "ranking-with-panel-laptop")
    ranking_table = chair_page.locator("main table").first
    expect(ranking_table.get_by_role("columnheader", name="Panel (1–4)")).to_be_visible()
    first_row = ranking_table.locator("tbody tr", has_text="Family living room").inner_text()
    assert "4.67" in first_row  # the jury's weighted score: (2·5 + 4) / 3, the panel's answers not in it
    assert "3.67" in first_row  # the panel's own column: (4 + 3 + 4) / 3
    panel_section = chair_page.locator(
        "section", has=chair_page.get_by_role("heading", name="The experts-by-experience panel")
    )
    expect(panel_section.get_by_text("This would have helped my family.")).to_be_visible()
    assert "Fox" in panel_section.inner_text()
    assert "Aada" not in chair_page.locator("main").inner_text()


def test_nominator_is_warned_of_an_identity_code_submits_anyway_and_the_jury_waits_for_staff(new_page):
    from tests.factories import JuryMembershipFactory, UserFactory, complete_draft  # noqa: PLC0415

    draft = complete_draft(name="Home visits for families")
    nominator = draft.organisation.memberships.first().user
    page = new_page(viewport=LAPTOP, locale="en-GB")
    sign_in(page, nominator.email, next_path=f"/en/ehdotukset/{draft.pk}/muokkaa/")
    page.goto(f"/en/ehdotukset/{draft.pk}/muokkaa/")
    page.get_by_label("Short description").fill(f"We visited the family of a child ({HETU}) every week.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Saved.")).to_be_visible()
    helptext = page.locator("#id_summary_helptext")
    expect(helptext.get_by_text("This looks like a personal identity code: remove it?")).to_be_visible()
    expect(helptext.locator("mark")).to_have_text(HETU)
    assert_accessible(page)
    screenshot(page, "safeguard-warning-laptop")

    # The check before submitting lists the finding again and asks why it must stay.
    page.get_by_role("button", name="Save and check before submitting").click()
    page.wait_for_url(f"**/en/ehdotukset/{draft.pk}/laheta/")
    expect(page.get_by_text("This looks like a personal identity code: remove it?").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit the nomination").click()
    page.wait_for_load_state()
    expect(page.get_by_text("The nomination seems to contain personal data").first).to_be_visible()
    draft.refresh_from_db()
    assert draft.state == Nomination.State.DRAFT
    page.get_by_label("Submit anyway: why must this stay in the nomination?").fill(
        "The code is an invented example from our training material."
    )
    page.get_by_role("button", name="Submit the nomination").click()
    page.wait_for_url(f"**/en/ehdotukset/{draft.pk}/")
    draft.refresh_from_db()
    assert draft.state == Nomination.State.SUBMITTED
    assert draft.safeguard.state == SafeguardCheck.State.FLAGGED

    AwardCycle.objects.filter(pk=draft.cycle_id).update(
        state=AwardCycle.State.SCORING,
        jury_opens_at=timezone.now() - timedelta(days=1),
        jury_closes_at=timezone.now() + timedelta(days=10),
    )
    juror = JuryMembershipFactory(cycle=draft.cycle, user=UserFactory(preferred_language="en")).user
    TOTPDevice.objects.create(user=juror, name="phone", confirmed=True)
    jury = new_page(viewport=LAPTOP, locale="en-GB")
    sign_in(jury, juror.email, next_path=f"/en/tuomaristo/{draft.cycle.year}/")
    pass_second_factor(jury, juror)
    jury.wait_for_url(f"**/en/tuomaristo/{draft.cycle.year}/")
    assert jury.get_by_text("Home visits for families").count() == 0
    assert jury.goto(f"/en/tuomaristo/{draft.cycle.year}/ehdotus/{draft.pk}/").status == 404

    staff = _staff()
    staff_page = new_page(viewport=LAPTOP, locale="en-GB")
    sign_in(staff_page, staff.email, next_path=f"/en/henkilokunta/ehdotukset/{draft.pk}/")
    pass_second_factor(staff_page, staff)
    staff_page.wait_for_url(f"**/en/henkilokunta/ehdotukset/{draft.pk}/")
    expect(staff_page.get_by_text("The code is an invented example from our training material.")).to_be_visible()
    assert_accessible(staff_page)
    staff_page.get_by_label("Why may the nomination go to the jury as it is?").fill("An invented code, not a person.")
    staff_page.get_by_role("button", name="Clear for the jury").click()
    staff_page.wait_for_load_state()
    expect(staff_page.get_by_text("The nomination is cleared: the jury can now see it.")).to_be_visible()

    jury.goto(f"/en/tuomaristo/{draft.cycle.year}/")
    expect(jury.get_by_role("link", name="Home visits for families").first).to_be_visible()


def test_follow_up_answer_appears_on_the_practice_page_after_approval(new_page):
    from awards.services.followup import followups_send_due  # noqa: PLC0415
    from tests.factories import decided_cycle  # noqa: PLC0415

    published_at = timezone.now() - timedelta(days=370)
    setup = decided_cycle(state=AwardCycle.State.PUBLISHED, results_published_at=published_at)
    practice = setup.winner.practice
    practice.name = "Neighbourhood family mentors"
    practice.is_public = True
    practice.save()
    setup.winner.language = "en"
    setup.winner.save()
    mail.outbox.clear()
    assert followups_send_due() == 2
    (message,) = [m for m in mail.outbox if setup.winner_nominator.email in m.to]
    link = re.search(r"https?://\S+/seuranta/\S+/", message.body).group()

    answer = new_page(viewport=PHONE, locale="en-GB")
    answer.goto(_path(link))
    assert_accessible(answer)
    answer.get_by_label("Yes, in a changed form").check()
    answer.get_by_label("Where has it spread?").fill("Lappeenranta and Imatra took it up in 2026.")
    answer.get_by_label("What has changed since the prize?").fill("The mentors now also visit schools.")
    answer.get_by_label("Your name and title").fill("Kaisa Developer, social worker")
    screenshot(answer, "follow-up-answer-phone")
    assert horizontal_overflow(answer) <= 0
    answer.get_by_role("button", name="Send the answer").click()
    expect(answer.get_by_role("heading", name="Thank you for your answer")).to_be_visible()
    followup = FollowUp.objects.get(nomination=setup.winner)
    assert followup.state == FollowUp.State.ANSWERED

    visitor = new_page(viewport=LAPTOP, locale="en-GB")
    visitor.goto(f"/en/kaytannot/{practice.slug}/")
    assert "Lappeenranta and Imatra" not in visitor.locator("main").inner_text()

    staff = _staff()
    page = new_page(viewport=LAPTOP, locale="en-GB")
    sign_in(page, staff.email, next_path="/en/henkilokunta/seuranta/")
    pass_second_factor(page, staff)
    page.wait_for_url("**/en/henkilokunta/seuranta/")
    assert_accessible(page)
    row = page.locator("tr", has_text="Neighbourhood family mentors")
    row.get_by_text("Read the answer").click()
    row.get_by_role("button", name="Approve and publish").click()
    page.wait_for_load_state()
    expect(page.get_by_text("The answer is now on the practice's page.")).to_be_visible()

    # The browser may keep a public page for its short max-age; a reload revalidates it (a new ETag now).
    visitor.reload()
    timeline = visitor.locator("section", has=visitor.get_by_role("heading", name="What happened next"))
    expect(timeline.get_by_text("Lappeenranta and Imatra took it up in 2026.")).to_be_visible()
    expect(timeline.locator("time")).to_have_count(1)
    assert_accessible(visitor)
    screenshot(visitor, "practice-follow-up-laptop")
