"""Nominating rights by an organisation's e-mail domain: a person who proves an address at it (a link e-mailed
there) may nominate at once; everyone else still goes through staff."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import AccountRequest, OrganisationMembership, User
from practices.models import OrganisationDomain
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vantaa():
    organisation = OrganisationFactory(name="Vantaan kaupunki")
    OrganisationDomain.objects.create(organisation=organisation, domain="Vantaa.FI ")
    return organisation


def request_account(client, organisation, email, captured):
    with captured(execute=True):
        return client.post(
            "/en/accounts/request/",
            {
                "first_name": "Ville",
                "last_name": "Vantaalainen",
                "email": email,
                "organisation": organisation.pk,
            },
        )


def link_in(message) -> str:
    return re.search(r"https?://\S+/accounts/domain/\S+/", message.body)[0].split("://", 1)[1].partition("/")[2]


def test_request_at_the_domain_gets_a_link_and_rights_at_once(client, vantaa, django_capture_on_commit_callbacks):
    response = request_account(client, vantaa, "ville@vantaa.fi", django_capture_on_commit_callbacks)
    assert response["Location"].endswith("?domain=1")
    (message,) = mail.outbox
    assert message.to == ["ville@vantaa.fi"]
    path = "/" + link_in(message)
    # Opening the link (a mail scanner may) changes nothing; confirming does.
    assert "Confirm and continue" in client.get(path).content.decode()
    assert not User.objects.filter(email="ville@vantaa.fi").exists()
    response = client.post(path)
    user = User.objects.get(email="ville@vantaa.fi")
    assert OrganisationMembership.objects.filter(user=user, organisation=vantaa, can_nominate=True).exists()
    assert "/accounts/password/reset/" in response["Location"]  # a new person sets a password next
    account_request = AccountRequest.objects.get(email="ville@vantaa.fi")
    assert account_request.state == AccountRequest.State.APPROVED
    assert account_request.decided_by is None


def test_request_outside_the_domain_waits_for_staff(client, vantaa, django_capture_on_commit_callbacks):
    request_account(client, vantaa, "ville@gmail.com", django_capture_on_commit_callbacks)
    # Only the receipt: no link that would give rights.
    (receipt,) = mail.outbox
    assert receipt.to == ["ville@gmail.com"]
    assert "/accounts/domain/" not in receipt.body
    assert AccountRequest.objects.get(email="ville@gmail.com").state == AccountRequest.State.PENDING


def test_subdomain_or_other_organisation_proves_nothing(vantaa):
    assert services.domain_organisation("a@vantaa.fi") == vantaa
    assert services.domain_organisation("a@evil.vantaa.fi") is None
    assert services.domain_organisation("a@vantaa.fi.evil.example") is None
    assert services.domain_organisation("a@vantaa.fi", OrganisationFactory()) is None


def test_link_stops_working_when_the_domain_is_removed(client, vantaa, django_capture_on_commit_callbacks):
    request_account(client, vantaa, "ville@vantaa.fi", django_capture_on_commit_callbacks)
    path = "/" + link_in(mail.outbox[0])
    OrganisationDomain.objects.all().delete()
    assert client.post(path).status_code == 410
    assert not User.objects.filter(email="ville@vantaa.fi").exists()


def test_signed_in_person_at_the_domain_asks_for_the_link(client, vantaa, django_capture_on_commit_callbacks):
    user = UserFactory(email="sari@vantaa.fi")
    client.force_login(user)
    page = client.get("/en/ehdotukset/").content.decode()
    assert "Send me the link for Vantaan kaupunki" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accounts/domain-link/")
    response = client.post("/" + link_in(mail.outbox[0]))
    assert response["Location"] == "/fi/ehdotukset/"  # the link is in the person's own language
    assert OrganisationMembership.objects.filter(user=user, organisation=vantaa, can_nominate=True).exists()


def test_someone_else_cannot_use_a_link_made_for_another_account(client, vantaa, django_capture_on_commit_callbacks):
    user = UserFactory(email="sari@vantaa.fi")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accounts/domain-link/")
    user.email = "sari@elsewhere.example"
    user.save()  # the address changed since: the link proved the old one only
    assert client.post("/" + link_in(mail.outbox[0])).status_code == 410
    assert not OrganisationMembership.objects.filter(user=user).exists()


@pytest.mark.parametrize("domain", ["gmail.com", "@vantaa.fi", "www vantaa"])
def test_public_or_malformed_domains_are_refused(domain):
    with pytest.raises(ValidationError):
        OrganisationDomain(organisation=OrganisationFactory(), domain=domain).full_clean()
