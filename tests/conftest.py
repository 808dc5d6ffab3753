"""Project-wide fixtures: reference data loaded once per test database, and handy users."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Regions, counties and municipalities are reference data every test may rely on, as in production.
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)
        # Asked once per process (a fact of the server): asked here, so that no test's count of queries depends
        # on whether it runs first.
        from practices.localisation import _Collations  # noqa: PLC0415

        _Collations.icu()


@pytest.fixture(autouse=True)
def _english_by_default():
    """Tests assert the English source strings, so URLs reversed in a test lead to the English pages.
    Finnish and Swedish pages are tested by asking for /fi/ and /sv/ explicitly; the catalogues themselves
    are checked in tests/test_translations.py."""
    from django.utils import translation  # noqa: PLC0415

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    """Transactional tests (threads, live server) empty every table when they end, the reference data too;
    load it again before each of them so they see what production always has."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"live_server", "transactional_db"} & set(request.fixturenames)
    )
    if transactional:
        from practices.reference_data import load_reference_data  # noqa: PLC0415

        request.getfixturevalue("transactional_db")
        load_reference_data()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate-limit histories and cached pages never leak between tests, nor
    the library's index of facet values, built from data the test database has rolled back since."""
    from django.core.cache import cache  # noqa: PLC0415

    from library import facet_index  # noqa: PLC0415

    cache.clear()
    facet_index.forget()


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """A task due now runs at once in the test's own process, through the worker's code (background/backends.py),
    so a test sees the e-mails its action sends. Tests of the queue itself turn this off and run real workers."""
    settings.TASKS_RUN_AT_ONCE = True


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is slow on purpose; tests hash with MD5 first (Argon2 hashes still verify). The production
    # hasher is tested in tests/accounts/test_sign_in.py.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture
def otp_login():
    """Sign a test client in as `user` with a verified second factor (a confirmed TOTP device).

    Jurors, chairs and staff must have passed the second factor before they see any nomination, so tests of
    their pages sign in through this, not plain force_login.
    """
    from django_otp import DEVICE_ID_SESSION_KEY  # noqa: PLC0415
    from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: PLC0415

    def login(client, user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="test", confirmed=True
        )
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return login
