"""The client address, read one way for lockouts, the audit log and the limits, from the trusted proxies."""

import pytest
from django.test import RequestFactory

from accounts.audit import audit
from accounts.network import client_address


def request(remote="10.0.0.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy declared: the header is anyone's to forge
        (1, None, "10.0.0.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what the client wrote itself is ignored
        (2, "6.6.6.6, 203.0.113.9, 10.1.1.1", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),  # fewer entries than proxies: the leftmost there is
        (1, "not-an-address", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_counts_the_trusted_proxies_from_the_right(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_address(request(forwarded=forwarded)) == expected


@pytest.mark.django_db
def test_audit_records_the_client_behind_the_proxy_not_the_proxy(settings):
    settings.TRUSTED_PROXIES = 1
    event = audit("test", request=request(remote="172.18.0.5", forwarded="203.0.113.77"))
    assert event.ip_address == "203.0.113.77"


@pytest.mark.django_db
def test_lockout_is_by_the_client_address_behind_the_proxy(client, settings, nominator, password):
    """Behind nginx every request comes from its address; the lockout still tells the offices apart."""
    settings.TRUSTED_PROXIES = 1
    login = "/en/accounts/login/"
    for _attempt in range(5):
        client.post(
            login,
            {"username": nominator.email, "password": "wrong-1234567"},
            REMOTE_ADDR="172.18.0.5",
            HTTP_X_FORWARDED_FOR="203.0.113.1",
        )
    locked = client.post(
        login,
        {"username": nominator.email, "password": password},
        REMOTE_ADDR="172.18.0.5",
        HTTP_X_FORWARDED_FOR="203.0.113.1",
    )
    assert locked.status_code == 429
    elsewhere = client.post(
        login,
        {"username": nominator.email, "password": password},
        REMOTE_ADDR="172.18.0.5",
        HTTP_X_FORWARDED_FOR="203.0.113.2",
    )
    assert elsewhere.status_code == 302
