"""Every URL pattern of the project is classified in accounts/access.py and behaves as classified.

The walk visits every pattern (admin included) as anonymous and as each role: public pages open for everyone;
login pages send anonymous visitors to sign in; role pages never give data to anyone without the role (403, 404
or a redirect), and open for those who hold it. A pattern missing from the registry fails with its name.

A new URL with path parameters: if the defaults below (by parameter name, then by converter) do not lead to a
page, add its values to SAMPLE_KWARGS under the URL name.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import LOGIN, PUBLIC, access_for
from awards.models import AwardCycle, JuryMembership
from awards.services.panel import panel_member_add
from practices.models import Region, TargetGroup, Theme, WellbeingServicesCounty
from tests.factories import (
    AwardCycleFactory,
    JuryMembershipFactory,
    MembershipFactory,
    NominationFactory,
    PracticeFactory,
    UserFactory,
)

# Values for path parameters by name; callables get the `objects` fixture. Per-URL values override these.
DEFAULT_KWARGS = {
    "slug": lambda o: o["practice"].slug,
    "code": lambda o: "092",
    "year": lambda o: o["cycle"].year,
    "pk": lambda o: o["nomination"].pk,
    "nomination_pk": lambda o: o["nomination"].pk,
    "cycle_pk": lambda o: o["cycle"].pk,
    "token": lambda o: "not-a-real-token",
    "uidb64": lambda o: "MQ",
    "app_label": lambda o: "accounts",
    "object_id": lambda o: o["staff"].pk,
    "content_type_id": lambda o: 1,
}


def _published_year(objects) -> int:
    return AwardCycleFactory(
        state=AwardCycle.State.PUBLISHED, results_published_at=timezone.now() - timedelta(days=1)
    ).year


SAMPLE_KWARGS = {
    "awards:year": {"year": _published_year},
    "api:award-detail": {"year": _published_year},
    "api:region-detail": {"code": lambda o: Region.objects.order_by("code").first().code},
    "api:county-detail": {"code": lambda o: WellbeingServicesCounty.objects.order_by("code").first().code},
    "api:theme-detail": {"slug": lambda o: Theme.objects.order_by("slug").first().slug},
    "api:target-group-detail": {"slug": lambda o: TargetGroup.objects.order_by("slug").first().slug},
    "library:county_detail": {"code": lambda o: WellbeingServicesCounty.objects.order_by("code").first().code},
    "library:region_detail": {"code": lambda o: Region.objects.order_by("code").first().code},
    "api:opendata_download": {"dataset": lambda o: "practices", "fmt": lambda o: "csv"},
    "admin:otp_totp_totpdevice_config": {"pk": lambda o: o["staff_device"].pk},
    "admin:otp_totp_totpdevice_qrcode": {"pk": lambda o: o["staff_device"].pk},
}
# Public patterns that serve files: a made-up file name is a 404, which is the right answer.
PUBLIC_FILE_SERVERS = {"media"}
CONVERTER_FALLBACK = {"int": 999_999, "str": "sample", "slug": "sample", "path": "sample", "uuid": uuid.uuid4()}
# Role holders may still get 403 here for reasons other than the role: the admin's own model permissions
# (nobody adds audit events or login attempts by hand) and views that need query parameters.
REFUSED_EVEN_WITH_ROLE = re.compile(r"^admin:")

ROLE_USERS = {
    "staff": ["staff"],
    "nominator": ["nominator"],
    "jury": ["juror", "chair"],
    "chair": ["chair"],
    "panel": ["panelist"],
}
ALL_USERS = ["nominator", "juror", "chair", "staff", "panelist"]


@dataclass(frozen=True)
class Entry:
    key: str  # the URL name, or "namespace:<route>" for an unnamed pattern
    named: bool
    chain: tuple

    def __str__(self):
        return self.key


def walk(patterns, namespace="", chain=()):
    for item in patterns:
        if isinstance(item, URLResolver):
            ns = namespace
            if item.namespace:
                ns = f"{namespace}:{item.namespace}" if namespace else item.namespace
            yield from walk(item.url_patterns, ns, (*chain, item.pattern))
        elif isinstance(item, URLPattern):
            full_chain = (*chain, item.pattern)
            if item.name:
                key = f"{namespace}:{item.name}" if namespace else item.name
            else:
                route = "".join(str(p) for p in full_chain if not isinstance(p, LocalePrefixPattern))
                key = f"{namespace}:<{route}>" if namespace else f"<{route}>"
            yield Entry(key=key, named=bool(item.name), chain=full_chain)


def all_entries():
    seen, entries = set(), []
    for entry in walk(get_resolver().url_patterns):
        if entry.key not in seen:
            seen.add(entry.key)
            entries.append(entry)
    return entries


ENTRIES = all_entries()


def kwarg_names(entry):
    names = {}
    for pattern in entry.chain:
        if isinstance(pattern, RoutePattern):
            for name, converter in pattern.converters.items():
                names[name] = type(converter).__name__.removesuffix("Converter").lower()
        elif isinstance(pattern, RegexPattern):
            for name in pattern.regex.groupindex:
                names[name] = "str"
    return names


def sample_value(entry, name, converter, objects):
    source = SAMPLE_KWARGS.get(entry.key, {}).get(name) or DEFAULT_KWARGS.get(name)
    if source is not None:
        return source(objects)
    return CONVERTER_FALLBACK.get(converter, "sample")


def url_for(entry, objects) -> str:
    kwargs = {name: sample_value(entry, name, conv, objects) for name, conv in kwarg_names(entry).items()}
    with translation.override("fi"):
        if entry.named:
            try:
                return reverse(entry.key, kwargs=kwargs)
            except NoReverseMatch:
                pass
        parts = []
        for pattern in entry.chain:
            if isinstance(pattern, LocalePrefixPattern):
                parts.append(pattern.language_prefix)
            elif isinstance(pattern, RoutePattern):
                parts.append(re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs.get(m[1], "sample")), str(pattern)))
            else:
                raw = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs.get(m[1], "sample")), str(pattern))
                parts.append(raw.lstrip("^").rstrip("$").replace("\\", ""))
        return "/" + "".join(parts)


def test_every_url_pattern_is_classified():
    missing = [entry.key for entry in ENTRIES if access_for(entry.key) is None]
    assert not missing, (
        "These URLs are not classified in accounts/access.py (add one line each to ACCESS): " + ", ".join(missing)
    )


def test_walk_covers_the_admin_and_accounts():
    keys = {entry.key for entry in ENTRIES}
    assert {"admin:index", "accounts:login", "accounts:invitation_list", "home"} <= keys
    assert any(key.startswith("admin:<") for key in keys)  # unnamed admin patterns are walked too


@pytest.fixture
def objects(db, otp_login):
    cycle = AwardCycleFactory()
    nominator = MembershipFactory(user__password=None).user
    nomination = NominationFactory(cycle=cycle, organisation=nominator.memberships.get().organisation)
    juror = JuryMembershipFactory(cycle=cycle, user__password=None).user
    chair = JuryMembershipFactory(cycle=cycle, user__password=None, role=JuryMembership.Role.CHAIR).user
    staff = UserFactory(is_staff=True, is_superuser=True, password=None)
    panelist = panel_member_add(cycle=cycle, user=UserFactory(password=None)).user
    staff_device = TOTPDevice.objects.create(user=staff, name="test", confirmed=True)
    return {
        "staff_device": staff_device,
        "cycle": cycle,
        "nomination": nomination,
        "practice": PracticeFactory(),
        "nominator": nominator,
        "juror": juror,
        "chair": chair,
        "staff": staff,
        "panelist": panelist,
    }


def client_as(role_name, objects, client_factory, otp_login):
    client = client_factory()
    user = objects[role_name]
    if role_name == "nominator":
        client.force_login(user)
    else:
        otp_login(client, user)
    return client


def fetch(client, url):
    """GET, and for views that only take POST (405), an empty POST: the guard must hold for both."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and any(
        part in response["Location"] for part in ("/accounts/login/", "/admin/login/")
    )


def assert_refused(response, url, *context):
    """Never data: refused, hidden, or sent elsewhere (not back to the page itself)."""
    assert response.status_code in {302, 403, 404}, (*context, url, response.status_code)
    if response.status_code == 302:
        assert response["Location"] != url, (*context, url)


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_url_behaves_as_classified(entry, objects, otp_login):
    from django.test import Client  # noqa: PLC0415

    level = access_for(entry.key)
    if level is None:
        pytest.fail(f"{entry.key} is not classified in accounts/access.py")
    url = url_for(entry, objects)
    anonymous = fetch(Client(), url)
    responses = {name: fetch(client_as(name, objects, Client, otp_login), url) for name in ALL_USERS}

    if level == PUBLIC:
        ok = {200, 301, 302, 303, 410} | ({404} if entry.key in PUBLIC_FILE_SERVERS else set())
        for who, response in {"anonymous": anonymous, **responses}.items():
            assert response.status_code in ok, (entry.key, url, who, response.status_code)
            assert not is_login_redirect(response), (entry.key, url, who)
        return

    # Not public: anonymous visitors never get the page.
    assert_refused(anonymous, url, entry.key, "anonymous")

    if level == LOGIN:
        for who, response in responses.items():
            assert response.status_code < 400, (entry.key, url, who, response.status_code)
            assert not is_login_redirect(response), (entry.key, url, who)
        return

    assert level.startswith("role:"), f"{entry.key}: unknown access level {level!r}"
    allowed = {user for role_name in level.removeprefix("role:").split(",") for user in ROLE_USERS[role_name]}
    for who, response in responses.items():
        if who in allowed:
            assert response.status_code < 500, (entry.key, url, who)
            assert not is_login_redirect(response), (entry.key, url, who)
            if not REFUSED_EVEN_WITH_ROLE.match(entry.key):
                assert response.status_code != 403, (entry.key, url, who)
        else:
            assert_refused(response, url, entry.key, who)


# The issue-12 cases of the walk ---------------------------------------------------------------------------------

NOMINATOR_PAGES = {"awards:nomination_detail", "awards:nomination_pdf", "awards:attachment_download"}


@pytest.fixture
def scoring_world(db):
    """A nomination that reaches the jury (a cycle in scoring), with an attachment, its nominator and its jury."""
    from awards.models import Attachment, Nomination  # noqa: PLC0415

    cycle = AwardCycleFactory(state=AwardCycle.State.SCORING)
    nominator = MembershipFactory(user__password=None).user
    nomination = NominationFactory(
        cycle=cycle,
        organisation=nominator.memberships.get().organisation,
        state=Nomination.State.SUBMITTED,
        submitted_at=timezone.now(),
        contact_email="yhteys@example.fi",
    )
    attachment = Attachment.objects.create(
        nomination=nomination,
        stored_name="b" * 32 + ".pdf",
        original_name="liite.pdf",
        content_type=files_pdf(),
        size=1,
    )
    juror = JuryMembershipFactory(cycle=cycle, user__password=None).user
    chair = JuryMembershipFactory(cycle=cycle, user__password=None, role=JuryMembership.Role.CHAIR).user
    return {"nomination": nomination, "attachment": attachment, "juror": juror, "chair": chair, "nominator": nominator}


def files_pdf() -> str:
    from awards.files import PDF  # noqa: PLC0415

    return PDF


@pytest.mark.parametrize("name", sorted(NOMINATOR_PAGES))
@pytest.mark.parametrize("who", ["juror", "chair"])
def test_jury_never_opens_the_nominators_pages(scoring_world, client, otp_login, name, who):
    from awards.selectors.jury import jury_nominations  # noqa: PLC0415

    assert scoring_world["nomination"] in jury_nominations(scoring_world[who])  # it does reach them as jury
    kwargs = {"pk": scoring_world["nomination"].pk}
    if name == "awards:attachment_download":
        kwargs["attachment_pk"] = scoring_world["attachment"].pk
    otp_login(client, scoring_world[who])
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 404
    assert b"yhteys@example.fi" not in response.content


@pytest.fixture
def superuser_objects(objects):
    objects["superuser"] = UserFactory(is_superuser=True, is_staff=False, password=None)
    return objects


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_superuser_without_staff_is_no_staff_anywhere(entry, superuser_objects, otp_login):
    """A superuser whose staff status was taken away: every staff page refused, even with a second factor."""
    from django.test import Client  # noqa: PLC0415

    level = access_for(entry.key)
    if level in {PUBLIC, LOGIN}:
        return
    roles = set(level.removeprefix("role:").split(","))
    url = url_for(entry, superuser_objects)
    response = fetch(otp_login(Client(), superuser_objects["superuser"]), url)
    if roles <= {"staff"}:
        assert_refused(response, url, entry.key, "superuser without staff")


HALF_SIGNED_IN = ["juror", "chair", "staff", "superuser"]


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_half_signed_in_user_gets_nothing_but_public_pages(entry, superuser_objects):
    """Password accepted, second factor not passed: every non-public URL (the second factor's own pages and signing
    out aside) sends the user to the second factor, and never shows data."""
    from django.test import Client  # noqa: PLC0415

    from accounts.access import SECOND_FACTOR_EXEMPT  # noqa: PLC0415

    level = access_for(entry.key)
    if level == PUBLIC or entry.key in SECOND_FACTOR_EXEMPT:
        return
    url = url_for(entry, superuser_objects)
    for who in HALF_SIGNED_IN:
        client = Client()
        client.force_login(superuser_objects[who])  # the password step only
        response = fetch(client, url)
        assert response.status_code in {302, 403, 404}, (entry.key, url, who, response.status_code)
        if response.status_code == 302:
            location = response["Location"]
            assert "/accounts/two-factor/" in location or is_login_redirect(response), (entry.key, who, location)


@pytest.fixture(params=["given", "refused", "withdrawn"])
def consent_world(request, objects):
    """The walk's objects, with its practice replaced by a published winner whose nominator gave, refused or
    (after publication) withdrew consent to publish the description."""
    from awards.services import nominations as services  # noqa: PLC0415
    from tests.library.test_consent import SECRET, SECRET_IDEA, publish_winner  # noqa: PLC0415

    nomination, by = publish_winner(consent=request.param != "refused")
    if request.param == "withdrawn":
        services.nomination_set_consent(nomination=nomination, consent=False, by=by)
    objects["practice"] = nomination.practice
    objects["published_year"] = nomination.cycle.year
    return request.param, objects, (SECRET, SECRET_IDEA)


def test_every_public_url_keeps_the_description_to_the_consent(consent_world):
    """The consent matrix on every public URL of the project, the walk's way: nothing of a description whose
    nominator refused or withdrew consent, on any of them; with consent, the practice's page shows it."""
    from django.test import Client  # noqa: PLC0415

    kind, objects, secrets = consent_world
    seen = set()
    for entry in ENTRIES:
        if access_for(entry.key) != PUBLIC or entry.key == "api:not_found":
            continue
        if entry.key in {"awards:year", "api:award-detail"}:
            with translation.override("fi"):
                url = reverse(entry.key, kwargs={"year": objects["published_year"]})
        else:
            url = url_for(entry, objects)
        response = fetch(Client(), url)
        # The open-data downloads stream their rows.
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode(errors="replace")
        if any(secret in body for secret in secrets):
            seen.add(entry.key)
    if kind == "given":
        assert {"library:practice_detail", "api:practice-detail", "api:opendata_download"} <= seen
    else:
        assert seen == set(), seen
