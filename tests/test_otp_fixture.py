"""The otp_login fixture gives a session that django-otp treats as verified."""

import pytest
from django.test import RequestFactory
from django_otp.middleware import OTPMiddleware

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_otp_login_marks_the_session_verified(client, otp_login):
    user = UserFactory()
    otp_login(client, user)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    OTPMiddleware(lambda r: None)(request)
    assert request.user.is_verified()


def test_force_login_alone_is_not_verified(client):
    user = UserFactory()
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    OTPMiddleware(lambda r: None)(request)
    assert not request.user.is_verified()
