"""The nominator's pages of a nomination (the page, its PDF, its attachments) show the contact person: they open
for the nominating organisation and staff only. Jurors and the chair read nominations in the jury's own views;
here a nomination that reaches them only as jury is a 404, like any object one may not see."""

import pytest
from django.urls import reverse

from awards.models import Attachment, AwardCycle, JuryMembership
from awards.selectors.nominations import nominations_on_nominator_pages
from tests.factories import JuryMembershipFactory, MembershipFactory, UserFactory
from tests.factories.jury import AssignmentFactory, SubmittedNominationFactory

pytestmark = pytest.mark.django_db

CONTACT = "kaisa.kontakti@vantaa.example"


@pytest.fixture
def world(tmp_path, settings):
    nomination = SubmittedNominationFactory(contact_name="Kaisa Kontakti", contact_email=CONTACT, contact_phone="0401")
    unassigned = SubmittedNominationFactory(cycle=nomination.cycle, contact_email="toinen@example.fi")
    cycle = nomination.cycle
    stored = "a" * 32 + ".pdf"
    path = settings.PRIVATE_MEDIA_ROOT / "attachments" / stored
    path.parent.mkdir(parents=True)
    path.write_bytes(b"%PDF-1.4 liite")
    attachment = Attachment.objects.create(
        nomination=nomination, stored_name=stored, original_name="liite.pdf", content_type="application/pdf", size=14
    )
    users = {
        "nominator": MembershipFactory(organisation=nomination.organisation, user__password=None).user,
        "juror": JuryMembershipFactory(cycle=cycle, user__password=None).user,
        "chair": JuryMembershipFactory(cycle=cycle, user__password=None, role=JuryMembership.Role.CHAIR).user,
        "staff": UserFactory(is_staff=True, password=None),
        "superuser_without_staff": UserFactory(is_superuser=True, is_staff=False, password=None),
    }
    return {"nomination": nomination, "unassigned": unassigned, "attachment": attachment, "users": users}


def urls(nomination, attachment=None):
    result = {
        "detail": reverse("awards:nomination_detail", args=[nomination.pk]),
        "pdf": reverse("awards:nomination_pdf", args=[nomination.pk]),
    }
    if attachment is not None:
        result["attachment"] = reverse("awards:attachment_download", args=[nomination.pk, attachment.pk])
    return result


EXPECTED = {"nominator": 200, "staff": 200, "juror": 404, "chair": 404, "superuser_without_staff": 404}


@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize("page", ["detail", "pdf", "attachment"])
def test_nominator_pages_open_for_nominators_and_staff_only(client, otp_login, world, who, page):
    otp_login(client, world["users"][who])
    response = client.get(urls(world["nomination"], world["attachment"])[page])
    assert response.status_code == EXPECTED[who]
    if EXPECTED[who] == 404:
        assert CONTACT.encode() not in response.content


@pytest.mark.parametrize("who", ["juror", "chair"])
def test_jury_cannot_open_an_unassigned_nomination_by_the_nominator_pages(client, otp_login, world, who):
    cycle = world["nomination"].cycle
    cycle.jury_assignment = AwardCycle.JuryAssignment.SELECTED
    cycle.save()
    user = world["users"][who]
    AssignmentFactory(nomination=world["nomination"], juror=user)
    otp_login(client, user)
    for url in urls(world["unassigned"]).values():
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"toinen@example.fi" not in response.content


def test_juror_who_also_nominates_opens_their_own_organisations_nomination(client, otp_login, world):
    juror = world["users"]["juror"]
    MembershipFactory(user=juror, organisation=world["nomination"].organisation)
    otp_login(client, juror)
    assert client.get(urls(world["nomination"])["detail"]).status_code == 200
    assert set(nominations_on_nominator_pages(juror)) == {world["nomination"]}
