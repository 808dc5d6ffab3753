"""Staff list pages: their query counts do not grow with the number of rows."""

import pytest

from accounts.models import AccountRequest, Invitation
from accounts.services import hash_token
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def make_invitations(staff, count):
    organisation = OrganisationFactory()
    for number in range(count):
        Invitation.objects.create(
            email=f"i{number}@example.fi",
            role="nominator",
            organisation=organisation,
            token_hash=hash_token(f"t{number}"),
            invited_by=staff,
            expires_at="2100-01-01T00:00Z",
        )


def make_requests(count):
    organisation = OrganisationFactory()
    for number in range(count):
        AccountRequest.objects.create(
            first_name="A", last_name=f"B{number}", email=f"r{number}@example.fi", organisation=organisation
        )


@pytest.mark.parametrize("count", [1, 12])
def test_invitation_list_queries_do_not_grow(client, staff, otp_login, django_assert_num_queries, count):
    make_invitations(staff, count)
    otp_login(client, staff)
    with django_assert_num_queries(10):
        response = client.get("/en/accounts/staff/invitations/")
    assert response.content.decode().count("@example.fi</td>") == count


@pytest.mark.parametrize("count", [1, 12])
def test_account_request_list_queries_do_not_grow(client, staff, otp_login, django_assert_num_queries, count):
    make_requests(count)
    otp_login(client, staff)
    with django_assert_num_queries(10):
        response = client.get("/en/accounts/staff/account-requests/")
    assert response.content.decode().count("Save the decision") == count
