"""The profile page: details, preferred language, roles, second-factor status."""

import pytest

from accounts.models import AuditEvent
from awards.models import JuryMembership
from tests.factories import JuryMembershipFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_profile_lists_roles(client, otp_login):
    membership = MembershipFactory(organisation=OrganisationFactory(name="Imatran kaupunki"))
    user = membership.user
    user.is_staff = True
    user.save()
    jury = JuryMembershipFactory(user=user, role=JuryMembership.Role.CHAIR)
    otp_login(client, user)
    content = client.get("/en/accounts/profile/").content.decode()
    assert "Nominator for Imatran kaupunki" in content
    assert "Organisers&#x27; staff" in content or "Organisers' staff" in content
    assert str(jury.cycle) in content
    assert "On: signing in asks for a code" in content
    assert "Turn the second factor off" not in content  # a chair and staff member must keep it


def test_profile_saves_details_and_switches_language(client, nominator):
    client.force_login(nominator)
    response = client.post(
        "/fi/accounts/profile/",
        {
            "first_name": "Iida",
            "last_name": "Imatra",
            "title": "Kehittäjä",
            "phone": "+358 40 123",
            "preferred_language": "sv",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/sv/accounts/profile/"
    nominator.refresh_from_db()
    assert (nominator.title, nominator.preferred_language) == ("Kehittäjä", "sv")
    event = AuditEvent.objects.get(action="profile_updated")
    assert event.data == {"fields": ["first_name", "last_name", "phone", "preferred_language", "title"]}


def test_profile_shows_second_factor_off_for_nominator(client, nominator):
    client.force_login(nominator)
    content = client.get("/en/accounts/profile/").content.decode()
    assert "Set up an authenticator app" in content
    assert "Your role requires it." not in content
    assert 'autocomplete="tel"' in content
