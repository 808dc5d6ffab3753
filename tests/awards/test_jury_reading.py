"""The jury's own reading of a nomination: every part the nominator wrote for them beside the scoring form, the
practice's places, attachments read in the browser through the jury's URLs; contact details never."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards import files
from awards.models import Assignment, Attachment, AwardCycle, CriterionJustification
from awards.services.safeguard import attachment_scan
from practices.models import Municipality, WellbeingServicesCounty
from tests.e2e.journeys import MINIMAL_PDF
from tests.factories import JuryMembershipFactory, MembershipFactory, OrganisationFactory, documents
from tests.factories.jury import ScoringCycleFactory, SubmittedNominationFactory, criteria_for

pytestmark = pytest.mark.django_db


def store(nomination, name, content):
    """An attachment as an upload leaves it: stored, read by the child-data safeguard, and cleaned for the jury."""
    upload = SimpleUploadedFile(name, content)
    checked = files.check_upload(upload)
    attachment = Attachment.objects.create(
        nomination=nomination,
        stored_name=files.store_upload(upload, checked),
        original_name=name,
        content_type=checked.content_type,
        size=checked.size,
    )
    attachment_scan(attachment=attachment)
    return attachment


@pytest.fixture
def reading():
    cycle = ScoringCycleFactory()
    first, second = criteria_for(cycle, weights=(2, 1))
    juror = JuryMembershipFactory(cycle=cycle).user
    nomination = SubmittedNominationFactory(
        cycle=cycle,
        name="Perhetyön kotikäynnit",
        contact_name="Salainen Yhteyshenkilö",
        contact_email="salainen@example.fi",
        contact_phone="+358 40 765 4321",
    )
    CriterionJustification.objects.create(
        nomination=nomination, criterion=first, text="Vaikuttavuus näkyy {{ 7|add:5 }}"
    )
    CriterionJustification.objects.create(nomination=nomination, criterion=second, text="Siirrettävyys on hyvä.")
    nomination.municipalities.set(Municipality.objects.filter(code__in=["091", "153"]))
    nomination.counties.set(WellbeingServicesCounty.objects.filter(code="02")[:1])
    pdf = store(nomination, "suunnitelma.pdf", MINIMAL_PDF)
    docx = store(nomination, "raportti.docx", documents.docx_with_properties(body="Raportti."))
    return cycle, juror, nomination, pdf, docx, (first, second)


def test_review_page_shows_justifications_places_and_attachments_but_no_contact(client, otp_login, reading):
    cycle, juror, nomination, pdf, docx, (first, _second) = reading
    otp_login(client, juror)
    response = client.get(reverse("awards:jury_review", args=[cycle.year, nomination.pk]))
    body = response.content.decode()
    # Each justification inside its criterion's fieldset, before that criterion's score.
    fieldsets = body.split('class="criterion"')[1:]
    assert "Vaikuttavuus näkyy" in fieldsets[0]
    assert "Siirrettävyys on hyvä." in fieldsets[1]
    assert fieldsets[0].index("Vaikuttavuus näkyy") < fieldsets[0].index(f'name="score_{first.pk}"')
    # The nominator's text is shown, never run as a template.
    assert "{{ 7|add:5 }}" in body
    assert "näkyy 12" not in body
    for municipality in Municipality.objects.filter(code__in=["091", "153"]):
        assert municipality.name in body
    assert reverse("awards:jury_attachment", args=[cycle.year, nomination.pk, pdf.pk]) in body
    assert reverse("awards:jury_attachment", args=[cycle.year, nomination.pk, docx.pk]) in body
    for secret in ("Salainen Yhteyshenkilö", "salainen@example.fi", "765 4321"):
        assert secret not in body
    # The nominator's pages are not linked from the jury's reading.
    assert reverse("awards:attachment_download", args=[nomination.pk, pdf.pk]) not in body


def test_jury_attachment_pdf_inline_with_safe_headers_and_other_types_download(client, otp_login, reading):
    cycle, juror, nomination, pdf, docx, _criteria = reading
    otp_login(client, juror)
    response = client.get(reverse("awards:jury_attachment", args=[cycle.year, nomination.pk, pdf.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    # The copy cleaned of metadata (the child-data safeguard), never the upload itself.
    cleaned = files.attachment_path(files.clean_copy_name(pdf.stored_name)).read_bytes()
    assert b"".join(response.streaming_content) == cleaned
    assert cleaned.startswith(b"%PDF")
    response = client.get(reverse("awards:jury_attachment", args=[cycle.year, nomination.pk, docx.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="raportti.docx"' in response["Content-Disposition"]


@pytest.mark.parametrize("case", ["conflict", "not_assigned", "other_nomination", "not_on_jury", "nominator"])
def test_jury_attachment_is_404_where_the_review_page_is(client, otp_login, reading, case):
    cycle, juror, nomination, pdf, _docx, _criteria = reading
    attachment_nomination = nomination
    user = juror
    if case == "conflict":
        MembershipFactory(user=juror, organisation=nomination.organisation, can_nominate=False)
    elif case == "not_assigned":
        AwardCycle.objects.filter(pk=cycle.pk).update(jury_assignment=AwardCycle.JuryAssignment.SELECTED)
        Assignment.objects.create(nomination=SubmittedNominationFactory(cycle=cycle), juror=juror)
    elif case == "other_nomination":
        attachment_nomination = SubmittedNominationFactory(cycle=cycle)
    elif case == "not_on_jury":
        user = JuryMembershipFactory(cycle=ScoringCycleFactory()).user
    elif case == "nominator":
        user = MembershipFactory(organisation=nomination.organisation).user
    if case == "nominator":
        client.force_login(user)
    else:
        otp_login(client, user)
    url = reverse("awards:jury_attachment", args=[cycle.year, attachment_nomination.pk, pdf.pk])
    assert client.get(url).status_code == 404
    if case != "other_nomination":  # there the nomination is reviewable, but the attachment is not its own
        review = reverse("awards:jury_review", args=[cycle.year, nomination.pk])
        assert client.get(review).status_code == 404


def test_jury_attachment_assigned_juror_reads_it(client, otp_login, reading):
    cycle, juror, nomination, pdf, _docx, _criteria = reading
    AwardCycle.objects.filter(pk=cycle.pk).update(jury_assignment=AwardCycle.JuryAssignment.SELECTED)
    Assignment.objects.create(nomination=nomination, juror=juror)
    otp_login(client, juror)
    assert client.get(reverse("awards:jury_attachment", args=[cycle.year, nomination.pk, pdf.pk])).status_code == 200


def test_places_are_sorted_and_organisations_listed(client, otp_login, reading):
    cycle, juror, nomination, *_rest = reading
    nomination.practice_organisations.set([OrganisationFactory(name="Öjan kunta"), OrganisationFactory(name="Aava")])
    otp_login(client, juror)
    body = client.get(reverse("awards:jury_review", args=[cycle.year, nomination.pk])).content.decode()
    assert body.index("Aava") < body.index("Öjan kunta")
