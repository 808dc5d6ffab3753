"""Two app servers (gunicorn) against one database and one Redis, as behind the production proxy: the public
forms' limit, the API's limit and the sign-in lockout hold across them, and a lockout of one account at one
address leaves a colleague at the same address free to sign in."""

import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from tests.factories import UserFactory
from tests.factories.accounts import TEST_PASSWORD

from .conftest import free_port, process_env, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("real_queue")]

OFFICE = "192.0.2.10"  # one municipality's network address, as nginx reports it in X-Forwarded-For


class Browser:
    """A person's browser: its own cookies, every request seemingly from `address` through one proxy."""

    def __init__(self, address: str):
        self.address = address
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def request(self, url: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"X-Forwarded-For": self.address, "Referer": url}
        request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 (loopback servers of the test)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post_form(self, url: str, data: dict) -> int:
        _status, page = self.request(url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        return self.request(url, {"csrfmiddlewaretoken": token, **data})[0]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# The servers serve every test of the module: they read the test database, which each test fills and empties;
# each test uses client addresses of its own, so their limits do not meet.


@pytest.fixture(scope="module")
def servers(django_db_setup, start_module_process, redis_url):
    """Two gunicorn servers sharing the test database and the Redis cache (a fresh key prefix)."""
    return start_servers(start_module_process, REDIS_URL=redis_url, CACHE_KEY_PREFIX=f"test-{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def servers_sharing_the_database(django_db_setup, start_module_process):
    """Two servers with only the database in common: each has its own in-memory cache."""
    return start_servers(start_module_process)


def start_servers(start_process, **cache) -> list[str]:
    env = process_env(
        **cache,
        TRUSTED_PROXIES=1,
        PUBLIC_FORM_RATE="5/hour",
        API_RATE="4/min",
        AXES_FAILURE_LIMIT=5,
    )
    urls = []
    for number in range(2):
        port = free_port()
        start_process(
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            env=env,
            name=f"app{number}",
        )
        urls.append(f"http://127.0.0.1:{port}")
    for url in urls:
        wait_until(lambda url=url: _answers(url), timeout=60, what=f"{url} to answer")
    return urls


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 (loopback)
            return response.status == 200
    except OSError:  # refused, reset or timed out while the server starts
        return False


def test_public_form_limit_holds_across_two_servers(servers):
    visitor = Browser("198.51.100.7")
    statuses = [
        visitor.post_form(f"{servers[n % 2]}/en/accounts/password/reset/", {"email": f"someone{n}@example.fi"})
        for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]  # five an hour from one address, whichever server answers
    # Another address is not limited by the first one's requests.
    assert (
        Browser("198.51.100.8").post_form(f"{servers[1]}/en/accounts/password/reset/", {"email": "x@example.fi"}) == 302
    )


def test_without_the_shared_cache_each_server_would_count_alone(servers_sharing_the_database):
    """The fault the shared cache removes: with a cache per process the limit is per server, not per address."""
    servers = servers_sharing_the_database
    visitor = Browser("198.51.100.9")
    statuses = [
        visitor.post_form(f"{servers[n % 2]}/en/accounts/password/reset/", {"email": f"someone{n}@example.fi"})
        for n in range(6)
    ]
    assert statuses == [302] * 6


def test_api_limit_holds_across_two_servers(servers):
    client = Browser("198.51.100.20")
    statuses = [client.request(f"{servers[n % 2]}/api/v1/regions/")[0] for n in range(5)]
    assert statuses == [200] * 4 + [429]
    assert Browser("198.51.100.21").request(f"{servers[0]}/api/v1/regions/")[0] == 200


def test_lockout_holds_across_servers_and_spares_a_colleague_at_the_same_address(
    servers_sharing_the_database, settings
):
    """The lockouts are in the database (django-axes' database handler), so they hold without Redis too."""
    servers = servers_sharing_the_database
    # The servers check passwords with the production hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = [h for h in settings.PASSWORD_HASHERS if "MD5" not in h]
    typist = UserFactory(email="typist@kunta.example.fi")
    colleague = UserFactory(email="colleague@kunta.example.fi")
    at_office = Browser(OFFICE)
    statuses = [
        at_office.post_form(
            f"{servers[n % 2]}/en/accounts/login/", {"username": typist.email, "password": "wrong-password-1"}
        )
        for n in range(5)
    ]
    assert statuses == [200] * 4 + [429]  # the fifth failure, on either server, locks
    # The right password on the other server: still locked out, for this account at this address.
    right = {"username": typist.email, "password": TEST_PASSWORD}
    assert Browser(OFFICE).post_form(f"{servers[1]}/en/accounts/login/", right) == 429
    assert Browser(OFFICE).post_form(f"{servers[0]}/en/accounts/login/", right) == 429
    # A colleague behind the same address signs in, on either server.
    colleague_login = {"username": colleague.email, "password": TEST_PASSWORD}
    assert Browser(OFFICE).post_form(f"{servers[0]}/en/accounts/login/", colleague_login) == 302
    assert Browser(OFFICE).post_form(f"{servers[1]}/en/accounts/login/", colleague_login) == 302
    # The typist from home is not locked out either.
    assert Browser("203.0.113.5").post_form(f"{servers[1]}/en/accounts/login/", right) == 302
