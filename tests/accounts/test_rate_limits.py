"""The public forms that send e-mail are limited per client address (5 an hour by default)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import AccountRequest, AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_password_reset_sixth_request_in_an_hour_refused_with_429(client):
    user = UserFactory(email="kiire@example.fi")
    for _ in range(5):
        assert client.post("/en/accounts/password/reset/", {"email": user.email}).status_code == 302
    assert len(mail.outbox) == 5
    response = client.post("/en/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many requests from your address" in body
    assert 'value="kiire@example.fi"' in body  # what was typed stays
    assert len(mail.outbox) == 5
    assert AuditEvent.objects.filter(action="rate_limited", data__form="password_reset").count() == 1


def test_password_reset_limit_is_per_address_and_ends_after_an_hour(client):
    user = UserFactory(email="odota@example.fi")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            client.post("/en/accounts/password/reset/", {"email": user.email})
        assert client.post("/en/accounts/password/reset/", {"email": user.email}).status_code == 429
        other = client.post("/en/accounts/password/reset/", {"email": user.email}, REMOTE_ADDR="10.0.0.9")
        assert other.status_code == 302
        traveller.shift(timedelta(hours=1, seconds=1))
        assert client.post("/en/accounts/password/reset/", {"email": user.email}).status_code == 302


def test_account_request_limited_per_address(client):
    def request(n):
        data = {"first_name": "A", "last_name": "B", "email": f"hakija{n}@example.fi", "organisation_name": "Kunta"}
        return client.post("/en/accounts/request/", data)

    for n in range(5):
        assert request(n).status_code == 302
    refused = request(5)
    assert refused.status_code == 429
    assert "Too many requests from your address" in refused.content.decode()
    assert AccountRequest.objects.count() == 5
