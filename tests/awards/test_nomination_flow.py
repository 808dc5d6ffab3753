"""A nominator's journey: start, save drafts (also with errors), checklist, submit, reopen, withdraw, deadlines."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import AuditEvent
from awards.models import Nomination
from awards.services import nominations as services
from practices.models import Municipality, Practice
from tests.factories import (
    NominationFactory,
    OrganisationFactory,
    PracticeFactory,
    complete_draft,
    nominator_for,
    open_cycle_with_criteria,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # Pages under /en/: the assertions read English source strings, whatever the catalogues translate.
    with translation.override("en"):
        yield


PAYLOAD = '<script>alert("x")</script><b>bold</b>'


@pytest.fixture
def imatra():
    return OrganisationFactory(
        name="Imatran testikaupunki", municipalities=list(Municipality.objects.filter(code="153"))
    )


@pytest.fixture
def cycle():
    return open_cycle_with_criteria(3)


def edit_post(nomination, **overrides):
    """The edit form's POST data as the browser would send it for `nomination` as stored."""
    nomination.refresh_from_db()
    data = {
        "version": str(nomination.version),
        "name": nomination.name,
        "summary": nomination.summary,
        "basic_idea": nomination.basic_idea,
        "target_group_description": nomination.target_group_description,
        "achieved_changes": nomination.achieved_changes,
        "contact_name": nomination.contact_name,
        "contact_email": nomination.contact_email,
        "contact_phone": nomination.contact_phone,
        "language": nomination.language,
        "municipalities": [m.pk for m in nomination.municipalities.all()],
        "action": "save",
    }
    for j in nomination.justifications.all():
        data[f"criterion_{j.criterion_id}"] = j.text
    data.update(overrides)
    return data


def test_nomination_start_new_practice_creates_private_practice_with_organisation_defaults(client, imatra, cycle):
    user = nominator_for(imatra)
    client.force_login(user)
    response = client.post(
        reverse("awards:nomination_start"), {"organisation": imatra.pk, "practice_name": "Uusi kotitiimi"}
    )
    nomination = Nomination.objects.get(organisation=imatra)
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:nomination_edit", args=[nomination.pk])
    assert nomination.state == Nomination.State.DRAFT
    assert nomination.practice_is_new
    assert nomination.practice.name == "Uusi kotitiimi"
    assert nomination.practice.is_public is False
    assert [m.code for m in nomination.municipalities.all()] == ["153"]
    assert list(nomination.counties.all()) == [Municipality.objects.get(code="153").county]
    assert list(nomination.practice_organisations.all()) == [imatra]
    assert nomination.contact_email == user.email
    assert nomination.justifications.count() == 3


def test_nomination_start_existing_practice_copies_its_description(client, imatra, cycle):
    practice = PracticeFactory(name="Hyvä olemassa oleva malli", summary="Kirjaston kuvaus", basic_idea="Idea")
    client.force_login(nominator_for(imatra))
    search = client.get(reverse("awards:nomination_start"), {"q": "olemassa"})
    assert "Hyvä olemassa oleva malli" in search.content.decode()
    client.post(reverse("awards:nomination_start"), {"organisation": imatra.pk, "practice": practice.pk})
    nomination = Nomination.objects.get(practice=practice)
    assert nomination.summary == "Kirjaston kuvaus"
    assert nomination.basic_idea == "Idea"
    assert not nomination.practice_is_new


def test_nomination_start_search_hides_other_organisations_private_practices(client, imatra, cycle):
    PracticeFactory(name="Salainen luonnosmalli", is_public=False)
    client.force_login(nominator_for(imatra))
    response = client.get(reverse("awards:nomination_start"), {"q": "Salainen"})
    assert "Salainen luonnosmalli" not in response.content.decode()


def test_nomination_start_same_practice_twice_in_cycle_gives_clean_message(client, imatra, cycle):
    practice = PracticeFactory(name="Jo ehdotettu")
    NominationFactory(cycle=cycle, practice=practice, state=Nomination.State.SUBMITTED, submitted_at=timezone.now())
    client.force_login(nominator_for(imatra))
    response = client.post(reverse("awards:nomination_start"), {"organisation": imatra.pk, "practice": practice.pk})
    assert response.status_code == 400
    assert "already been nominated this year" in response.content.decode()
    assert Nomination.objects.filter(practice=practice).count() == 1


def test_nomination_start_never_mentions_another_organisations_draft(client, imatra, cycle):
    practice = PracticeFactory(name="Toisen luonnos")
    NominationFactory(cycle=cycle, practice=practice)  # another organisation's draft
    client.force_login(nominator_for(imatra))
    response = client.post(reverse("awards:nomination_start"), {"organisation": imatra.pk, "practice": practice.pk})
    assert response.status_code == 302
    assert "already" not in response.content.decode()
    assert Nomination.objects.filter(practice=practice, organisation=imatra).exists()


def test_nomination_start_points_to_the_own_organisations_draft(client, imatra, cycle):
    practice = PracticeFactory(name="Oma luonnos")
    NominationFactory(cycle=cycle, practice=practice, organisation=imatra)
    client.force_login(nominator_for(imatra))
    response = client.post(reverse("awards:nomination_start"), {"organisation": imatra.pk, "practice": practice.pk})
    assert response.status_code == 400
    assert "Your organisation already has a draft nomination" in response.content.decode()


def test_nomination_second_organisation_to_submit_the_same_practice_is_told_clearly(cycle):
    practice = PracticeFactory(name="Kahden kunnan malli")
    first = complete_draft(cycle=cycle, practice=practice)
    second = complete_draft(cycle=cycle, practice=practice)
    services.nomination_submit(nomination=first, by=first.created_by)
    with pytest.raises(ValidationError, match="already been nominated this year"):
        services.nomination_submit(nomination=second, by=second.created_by)
    second.refresh_from_db()
    assert second.state == Nomination.State.DRAFT
    assert second.reference is None


def test_nomination_start_for_organisation_not_own_is_refused(client, imatra, cycle):
    other = OrganisationFactory()
    client.force_login(nominator_for(imatra))
    response = client.post(reverse("awards:nomination_start"), {"organisation": other.pk, "practice_name": "X"})
    assert response.status_code == 400
    assert not Nomination.objects.exists()
    assert not Practice.objects.filter(name="X").exists()


def test_nomination_save_keeps_valid_fields_and_shows_error_next_to_invalid(client, imatra, cycle):
    user = nominator_for(imatra)
    nomination = services.nomination_start(cycle=cycle, organisation=imatra, by=user, practice_name="Malli")
    client.force_login(user)
    response = client.post(
        reverse("awards:nomination_edit", args=[nomination.pk]),
        edit_post(nomination, summary="Tallentuva kuvaus", contact_email="ei-sahkoposti", start_year="1800"),
    )
    body = response.content.decode()
    nomination.refresh_from_db()
    assert response.status_code == 400
    assert nomination.summary == "Tallentuva kuvaus"
    assert nomination.contact_email == user.email  # the invalid one was not stored…
    assert 'value="ei-sahkoposti"' in body  # …but is still in the form to be corrected
    assert 'value="1800"' in body
    # The errors sit next to their fields, in the user's language.
    assert 'id="error_1_id_contact_email"><strong>Enter a valid email address.' in body
    assert 'id="error_1_id_start_year"' in body
    assert "Your changes were saved, except the fields marked below." in body


def test_nomination_save_draft_with_missing_parts_shows_checklist(client, imatra, cycle):
    user = nominator_for(imatra)
    nomination = services.nomination_start(cycle=cycle, organisation=imatra, by=user, practice_name="Malli")
    client.force_login(user)
    response = client.post(
        reverse("awards:nomination_edit", args=[nomination.pk]), edit_post(nomination, summary="Vain kuvaus")
    )
    assert response.status_code == 302
    page = client.get(reverse("awards:nomination_edit", args=[nomination.pk])).content.decode()
    assert "Still missing before you can submit" in page
    assert "Basic idea" in page
    assert "Justification: Kriteeri" in page
    nomination.refresh_from_db()
    assert nomination.summary == "Vain kuvaus"
    assert nomination.state == Nomination.State.DRAFT


def test_nomination_submit_incomplete_is_refused(imatra, cycle):
    user = nominator_for(imatra)
    nomination = services.nomination_start(cycle=cycle, organisation=imatra, by=user, practice_name="Malli")
    with pytest.raises(ValidationError, match="not complete"):
        services.nomination_submit(nomination=nomination, by=user)
    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.DRAFT
    assert nomination.reference is None
    assert mail.outbox == []


def test_nomination_submit_complete_gets_reference_and_escaped_email(client, imatra, cycle):
    nomination = complete_draft(cycle=cycle, organisation=imatra, summary=PAYLOAD)
    user = nomination.created_by
    client.force_login(user)
    response = client.post(reverse("awards:nomination_submit", args=[nomination.pk]), follow=True)
    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.SUBMITTED
    assert nomination.reference == f"LST-{cycle.year}-0001"
    assert nomination.submitted_at is not None
    assert nomination.reference in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert nomination.reference in message.subject
    assert user.email in message.to
    html = message.alternatives[0][0] if hasattr(message.alternatives[0], "__getitem__") else ""
    assert "&lt;script&gt;" in html
    assert "<script>" not in html
    assert PAYLOAD in message.body  # plain text is not HTML: shown literally, nothing to escape
    assert AuditEvent.objects.filter(action="nomination.submitted", target_id=str(nomination.pk)).exists()


def test_nomination_submit_twice_one_submission_one_email(client, imatra, cycle):
    nomination = complete_draft(cycle=cycle, organisation=imatra)
    client.force_login(nomination.created_by)
    url = reverse("awards:nomination_submit", args=[nomination.pk])
    client.post(url)
    client.post(url)
    nomination.refresh_from_db()
    assert nomination.reference == f"LST-{cycle.year}-0001"
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="nomination.submitted").count() == 1


def test_nomination_save_and_submit_from_the_form(client, imatra, cycle):
    nomination = complete_draft(cycle=cycle, organisation=imatra)
    client.force_login(nomination.created_by)
    response = client.post(
        reverse("awards:nomination_edit", args=[nomination.pk]),
        edit_post(nomination, summary="Viimeinen muutos", action="submit"),
    )
    nomination.refresh_from_db()
    assert response.status_code == 302
    assert nomination.summary == "Viimeinen muutos"
    # Saved, then shown as the jury will read it, with the deadline and what happens next; submitted from there.
    assert nomination.state == Nomination.State.DRAFT
    submit_url = reverse("awards:nomination_submit", args=[nomination.pk])
    assert response["Location"] == submit_url
    preview = client.get(submit_url).content.decode()
    assert "Viimeinen muutos" in preview
    assert "What happens next" in preview
    assert "kaisa@example.fi" not in preview  # the jury does not read the contact details
    assert client.post(submit_url).status_code == 302
    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.SUBMITTED


def test_nomination_references_are_consecutive_per_cycle(imatra, cycle):
    first = complete_draft(cycle=cycle, organisation=imatra)
    second = complete_draft(cycle=cycle, organisation=imatra)
    other_cycle_draft = complete_draft(organisation=imatra)
    services.nomination_submit(nomination=second, by=second.created_by)
    services.nomination_submit(nomination=first, by=first.created_by)
    services.nomination_submit(nomination=other_cycle_draft, by=other_cycle_draft.created_by)
    first.refresh_from_db()
    second.refresh_from_db()
    other_cycle_draft.refresh_from_db()
    assert second.reference == f"LST-{cycle.year}-0001"
    assert first.reference == f"LST-{cycle.year}-0002"
    assert other_cycle_draft.reference == f"LST-{other_cycle_draft.cycle.year}-0001"


def test_nomination_reopen_edit_and_resubmit_keeps_reference(client, imatra, cycle):
    nomination = complete_draft(cycle=cycle, organisation=imatra)
    user = nomination.created_by
    services.nomination_submit(nomination=nomination, by=user)
    client.force_login(user)
    response = client.post(reverse("awards:nomination_reopen", args=[nomination.pk]))
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.DRAFT
    detail = client.get(reverse("awards:nomination_detail", args=[nomination.pk])).content.decode()
    assert "was reopened and is a draft again" in detail
    client.post(reverse("awards:nomination_edit", args=[nomination.pk]), edit_post(nomination, basic_idea="Uusi idea"))
    client.post(reverse("awards:nomination_submit", args=[nomination.pk]))
    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.SUBMITTED
    assert nomination.basic_idea == "Uusi idea"
    assert nomination.reference == f"LST-{cycle.year}-0001"
    assert len(mail.outbox) == 2  # a confirmation for each submission


def test_nomination_withdraw_frees_the_practice_for_a_new_nomination(client, imatra, cycle):
    nomination = complete_draft(cycle=cycle, organisation=imatra)
    user = nomination.created_by
    client.force_login(user)
    assert "Withdraw" in client.get(reverse("awards:nomination_withdraw", args=[nomination.pk])).content.decode()
    client.post(reverse("awards:nomination_withdraw", args=[nomination.pk]))
    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.WITHDRAWN
    again = services.nomination_start(cycle=cycle, organisation=imatra, by=user, practice=nomination.practice)
    assert again.pk != nomination.pk
    with pytest.raises(ValidationError, match="withdrawn"):
        services.nomination_reopen(nomination=nomination, by=user)


def test_nomination_submit_one_second_after_deadline_is_refused(client, imatra, cycle):
    nomination = complete_draft(cycle=cycle, organisation=imatra)
    with time_machine.travel(cycle.nominations_close_at + timedelta(seconds=1), tick=False):
        client.force_login(nomination.created_by)
        response = client.post(reverse("awards:nomination_submit", args=[nomination.pk]), follow=True)
    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.DRAFT
    assert nomination.reference is None
    assert "The nomination period has ended" in response.content.decode()
    assert mail.outbox == []


def test_nomination_submit_one_second_before_deadline_succeeds(imatra, cycle):
    nomination = complete_draft(cycle=cycle, organisation=imatra)
    with time_machine.travel(cycle.nominations_close_at - timedelta(seconds=1), tick=False):
        services.nomination_submit(nomination=nomination, by=nomination.created_by)
    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.SUBMITTED


def test_nomination_after_deadline_cannot_be_saved_reopened_or_withdrawn(client, imatra, cycle):
    nomination = complete_draft(cycle=cycle, organisation=imatra)
    user = nomination.created_by
    services.nomination_submit(nomination=nomination, by=user)
    with time_machine.travel(cycle.nominations_close_at + timedelta(seconds=1), tick=False):
        client.force_login(user)
        client.post(reverse("awards:nomination_reopen", args=[nomination.pk]))
        client.post(reverse("awards:nomination_withdraw", args=[nomination.pk]))
        page = client.get(reverse("awards:nomination_detail", args=[nomination.pk])).content.decode()
    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.SUBMITTED
    assert "can no longer be changed" in page


def test_nomination_save_when_cycle_closed_by_staff_is_refused(client, imatra, cycle):
    nomination = complete_draft(cycle=cycle, organisation=imatra)
    cycle.state = cycle.State.CLOSED
    cycle.save()
    client.force_login(nomination.created_by)
    response = client.post(
        reverse("awards:nomination_edit", args=[nomination.pk]), edit_post(nomination, summary="Myöhässä")
    )
    nomination.refresh_from_db()
    assert response.status_code == 400
    assert nomination.summary != "Myöhässä"
    assert "Myöhässä" in response.content.decode()  # what was typed is still on the page


def test_nomination_extension_lets_one_nomination_submit_after_deadline(imatra, cycle, django_user_model):
    staff = django_user_model.objects.create_user("staff@example.fi", "x", is_staff=True)
    late = complete_draft(cycle=cycle, organisation=imatra)
    other = complete_draft(cycle=cycle, organisation=imatra)
    services.nomination_grant_extension(
        nomination=late, until=cycle.nominations_close_at + timedelta(days=2), reason="Sairastuminen", by=staff
    )
    with time_machine.travel(cycle.nominations_close_at + timedelta(days=1), tick=False):
        services.nomination_submit(nomination=late, by=late.created_by)
        with pytest.raises(ValidationError):
            services.nomination_submit(nomination=other, by=other.created_by)
    late.refresh_from_db()
    assert late.state == Nomination.State.SUBMITTED
    assert late.extensions.get().reason == "Sairastuminen"


def test_nomination_extension_needs_reason_and_staff(imatra, cycle):
    nomination = complete_draft(cycle=cycle, organisation=imatra)
    until = cycle.nominations_close_at + timedelta(days=1)
    with pytest.raises(ValidationError, match="staff"):
        services.nomination_grant_extension(nomination=nomination, until=until, reason="x", by=nomination.created_by)
    nomination.created_by.is_staff = True
    with pytest.raises(ValidationError, match="reason"):
        services.nomination_grant_extension(nomination=nomination, until=until, reason=" ", by=nomination.created_by)
    assert not nomination.extensions.exists()


@pytest.mark.parametrize("name", ["nomination_detail", "nomination_edit", "nomination_pdf", "nomination_withdraw"])
def test_nomination_of_another_organisation_is_404(client, imatra, cycle, name):
    nomination = complete_draft(cycle=cycle, organisation=imatra)
    outsider = nominator_for(OrganisationFactory())
    client.force_login(outsider)
    assert client.get(reverse(f"awards:{name}", args=[nomination.pk])).status_code == 404


@pytest.mark.parametrize("name", ["nomination_submit", "nomination_reopen", "nomination_withdraw", "nomination_edit"])
def test_nomination_actions_on_another_organisation_are_404_and_change_nothing(client, imatra, cycle, name):
    nomination = complete_draft(cycle=cycle, organisation=imatra)
    client.force_login(nominator_for(OrganisationFactory()))
    response = client.post(reverse(f"awards:{name}", args=[nomination.pk]), edit_post(nomination, summary="Kaapattu"))
    nomination.refresh_from_db()
    assert response.status_code == 404
    assert nomination.state == Nomination.State.DRAFT
    assert nomination.summary != "Kaapattu"


def test_nomination_pages_require_login(client, imatra, cycle):
    nomination = complete_draft(cycle=cycle, organisation=imatra)
    for url in [reverse("awards:nomination_list"), reverse("awards:nomination_edit", args=[nomination.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_nomination_colleagues_see_and_continue_each_others_drafts(client, imatra, cycle):
    nomination = complete_draft(cycle=cycle, organisation=imatra)
    colleague = nominator_for(imatra)
    client.force_login(colleague)
    listing = client.get(reverse("awards:nomination_list")).content.decode()
    assert nomination.name in listing
    response = client.post(
        reverse("awards:nomination_edit", args=[nomination.pk]), edit_post(nomination, summary="Kollegan lisäys")
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.summary == "Kollegan lisäys"


def test_nomination_stale_save_is_refused_with_diff_and_typed_text_kept(client, imatra, cycle):
    nomination = complete_draft(cycle=cycle, organisation=imatra)
    colleague = nominator_for(imatra, first_name="Kerttu", last_name="Kollega")
    stale_form = edit_post(nomination)  # both open the form at the same version
    services.nomination_save(
        nomination=nomination,
        by=colleague,
        expected_version=nomination.version,
        data={"basic_idea": "Kollegan uusi perusajatus"},
    )
    client.force_login(nomination.created_by)
    stale_form["basic_idea"] = "Minun perusajatukseni"
    response = client.post(reverse("awards:nomination_edit", args=[nomination.pk]), stale_form)
    body = response.content.decode()
    nomination.refresh_from_db()
    assert response.status_code == 409
    assert nomination.basic_idea == "Kollegan uusi perusajatus"  # nothing was overwritten
    assert "Someone else saved this nomination" in body
    assert "Kerttu Kollega" in body
    assert "Kollegan uusi perusajatus" in body  # the diff shows their version…
    assert "Minun perusajatukseni" in body  # …and the user's typed text is kept
    assert f'name="version" value="{nomination.version}"' in body
    # A second, deliberate save now wins.
    stale_form["version"] = str(nomination.version)
    client.post(reverse("awards:nomination_edit", args=[nomination.pk]), stale_form)
    nomination.refresh_from_db()
    assert nomination.basic_idea == "Minun perusajatukseni"


@pytest.mark.parametrize(
    "field", ["name", "summary", "basic_idea", "contact_name", "contact_title", "funder", "achieved_changes"]
)
def test_nomination_html_payload_is_escaped_on_pages(client, imatra, cycle, field):
    nomination = complete_draft(cycle=cycle, organisation=imatra, **{field: PAYLOAD})
    client.force_login(nomination.created_by)
    pages = [
        reverse("awards:nomination_detail", args=[nomination.pk]),
        reverse("awards:nomination_edit", args=[nomination.pk]),
    ]
    if field == "name":
        pages.append(reverse("awards:nomination_list"))
    for url in pages:
        body = client.get(url).content.decode()
        assert '<script>alert("x")</script>' not in body
        assert "&lt;script&gt;alert(" in body


def test_nomination_list_shows_only_own_organisations(client, imatra, cycle):
    own = complete_draft(cycle=cycle, organisation=imatra, name="Oman kunnan malli")
    complete_draft(cycle=cycle, name="Toisen kunnan malli")
    client.force_login(own.created_by)
    body = client.get(reverse("awards:nomination_list")).content.decode()
    assert "Oman kunnan malli" in body
    assert "Toisen kunnan malli" not in body


def test_nomination_list_query_count_one(client, django_assert_num_queries, imatra, cycle):
    nomination = complete_draft(cycle=cycle, organisation=imatra)
    client.force_login(nomination.created_by)
    with django_assert_num_queries(10):  # 8 + the second-factor middleware's check, the menu's roles
        response = client.get(reverse("awards:nomination_list"))
    assert response.content.decode().count("/ehdotukset/") >= 1
    assert len(response.context["nominations"]) == 1


def test_nomination_list_query_count_many(client, django_assert_num_queries, imatra, cycle):
    first = complete_draft(cycle=cycle, organisation=imatra)
    for _ in range(12):
        complete_draft(cycle=cycle, organisation=imatra, by=first.created_by)
    client.force_login(first.created_by)
    with django_assert_num_queries(10):  # 8 + the second-factor middleware's check, the menu's roles
        response = client.get(reverse("awards:nomination_list"))
    assert len(response.context["nominations"]) == 13


def test_call_page_shows_deadline_in_helsinki_time_criteria_and_start(client, cycle, imatra):
    from datetime import UTC, datetime  # noqa: PLC0415

    cycle.nominations_close_at = datetime(2100, 3, 31, 13, 0, tzinfo=UTC)  # 16:00 in Helsinki (EEST)
    cycle.save()
    anonymous = client.get(reverse("awards:call")).content.decode()
    # The page's language's formats (English here; the others are in tests/e2e/test_languages.py).
    assert "31 March 2100" in anonymous
    assert "16:00" in anonymous
    assert "(Finnish time)" in anonymous
    criterion = cycle.criteria.first()
    assert criterion.name in anonymous
    assert "Sign in to start a nomination" in anonymous
    client.force_login(nominator_for(imatra))
    signed_in = client.get(reverse("awards:call")).content.decode()
    assert reverse("awards:nomination_start") in signed_in


def test_call_page_without_open_cycle(client):
    body = client.get(reverse("awards:call")).content.decode()
    assert "No award cycle is open for nominations right now." in body


def test_nomination_submit_new_practice_gives_its_description_to_the_library_entry(imatra, cycle):
    nomination = complete_draft(cycle=cycle, organisation=imatra, basic_idea="Kotikäynnit viikoittain")
    existing = PracticeFactory(name="Vanha malli", basic_idea="Kirjaston oma teksti")
    for_existing = services.nomination_start(
        cycle=cycle, organisation=imatra, by=nomination.created_by, practice=existing
    )
    services.nomination_save(
        nomination=for_existing,
        by=nomination.created_by,
        expected_version=for_existing.version,
        data={"basic_idea": "Ehdotuksen teksti"},
    )
    services.nomination_submit(nomination=nomination, by=nomination.created_by)
    nomination.practice.refresh_from_db()
    assert nomination.practice.basic_idea == "Kotikäynnit viikoittain"
    assert nomination.practice.is_public is False
    assert list(nomination.practice.municipalities.values_list("code", flat=True)) == ["153"]
    existing.refresh_from_db()
    assert existing.basic_idea == "Kirjaston oma teksti"  # a library practice is never rewritten by a nominator


def test_nomination_pages_have_no_inline_script_or_style(client, imatra, cycle):
    nomination = complete_draft(cycle=cycle, organisation=imatra)
    client.force_login(nomination.created_by)
    for url in [
        reverse("awards:call"),
        reverse("awards:nomination_list"),
        reverse("awards:nomination_start") + "?q=malli",
        reverse("awards:nomination_detail", args=[nomination.pk]),
        reverse("awards:nomination_edit", args=[nomination.pk]),
        reverse("awards:nomination_withdraw", args=[nomination.pk]),
    ]:
        body = client.get(url).content.decode()
        assert "style=" not in body, url
        assert "<script>" not in body, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", body), url


def test_submission_receipt_says_the_deadline_what_next_and_when_results_come(client, imatra):
    from datetime import date  # noqa: PLC0415

    cycle = open_cycle_with_criteria(
        2, announcement_on=date(2099, 11, 20), occasion_en="the national child-welfare days"
    )
    nomination = complete_draft(cycle=cycle, organisation=imatra)
    user = nomination.created_by
    user.preferred_language = "en"
    user.save()
    client.force_login(user)
    client.post(reverse("awards:nomination_submit", args=[nomination.pk]))
    (message,) = mail.outbox
    with translation.override("en"):
        from django.utils import formats, timezone  # noqa: PLC0415

        deadline = formats.date_format(timezone.localtime(cycle.nominations_close_at), "SHORT_DATE_FORMAT")
    for text in (message.body, message.alternatives[0][0]):
        assert "What happens next" in text
        assert f"Until the deadline, {deadline} at" in text
        assert "20 November 2099" in text
        assert "the national child-welfare days" in text
    html = message.alternatives[0][0]
    assert '<html lang="en">' in html
    assert "<title>Nomination received:" in html
    assert "<h1>" in html
