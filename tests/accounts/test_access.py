"""The access registry: lookups by name and namespace, and deny-by-default for the second factor."""

import pytest
from django.test import RequestFactory
from django.urls import ResolverMatch

from accounts.access import LOGIN, PUBLIC, access_for, is_public, role
from accounts.middleware import RequireSecondFactorMiddleware
from tests.factories import UserFactory


def test_access_for_name_namespace_and_unknown():
    assert access_for("accounts:login") == PUBLIC
    assert access_for("accounts:profile") == LOGIN
    assert access_for("admin:accounts_user_changelist") == role("staff")
    assert access_for("accounts:no_such_view") is None
    assert access_for(None) is None
    assert not is_public("made_up")


@pytest.mark.django_db
@pytest.mark.parametrize(("view_name", "blocked"), [("home", False), ("accounts:profile", True), ("unknown", True)])
def test_unverified_staff_is_redirected_from_everything_not_public(view_name, blocked):
    request = RequestFactory().get("/fi/somewhere/")
    request.user = UserFactory(is_staff=True, password=None)
    request.user.is_verified = lambda: False
    request.resolver_match = ResolverMatch(
        lambda r: None, (), {}, url_name=view_name.split(":")[-1], namespaces=view_name.split(":")[:-1]
    )
    response = RequireSecondFactorMiddleware(lambda r: None).process_view(request, None, (), {})
    if blocked:
        assert response.status_code == 302
        assert "/accounts/two-factor/setup/" in response["Location"]
    else:
        assert response is None
