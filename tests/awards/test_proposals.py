"""Proposals by anyone: verified by an e-mailed link before they reach staff, limited per address and per e-mail,
held when they are links only or come in a flood, and handled by staff (merge, reject, invite). A proposal never
reaches the jury by itself."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from awards.models import AwardCycle, Nomination, Proposal
from awards.selectors.jury import jury_nominations
from awards.services import proposals as services
from practices.models import Municipality
from tests.factories import (
    AwardCycleFactory,
    JuryMembershipFactory,
    OrganisationFactory,
    UserFactory,
    nominator_for,
)

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "proposer_name": "Pirkko Perhe",
        "email": "pirkko@example.fi",
        "practice_name": "Perhetupa",
        "organisation_name": "Imatran kaupunki",
        "municipalities": [Municipality.objects.get(code="153").pk],
        "places": "",
        "description": "Perhetupa on avoin olohuone, jossa perheet saavat apua arjen pulmiin ilman ajanvarausta.",
        "reason": "Moni perhe on saanut apua ajoissa, ennen kuin ongelmat kasvoivat suuriksi.",
        "link": "",
        "website": "",
    }
    data.update(overrides)
    return data


def _link_from(message) -> str:
    return re.search(r"https?://\S+/ehdota/vahvista/\S+/", message.body).group()


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def propose(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("awards:proposal_create"), form_data(**overrides))


def test_proposal_is_a_draft_until_the_link_is_followed(client, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    response = propose(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.state == Proposal.State.UNVERIFIED
    assert list(proposal.municipalities.values_list("code", flat=True)) == ["153"]
    (message,) = mail.outbox
    assert message.to == ["pirkko@example.fi"]
    assert "Perhetupa" in message.body

    staff = UserFactory(is_staff=True)
    from awards.selectors.proposals import proposal_queue  # noqa: PLC0415

    assert not proposal_queue("all").exists()  # staff do not see the draft

    path = _path(_link_from(message))
    page = client.get(path)
    assert page.status_code == 200
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.UNVERIFIED  # opening the link alone (a mail scanner) changes nothing
    assert client.post(path).status_code == 200
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.NEW
    assert proposal.verified_at
    assert list(proposal_queue()) == [proposal]
    assert client.post(path).status_code == 410  # used once
    assert staff  # staff exist, and still no jury is involved
    assert not Nomination.objects.exists()


def test_verify_link_expired_or_forged(client):
    proposal = Proposal.objects.create(
        proposer_name="A",
        email="a@example.fi",
        practice_name="P",
        organisation_name="O",
        description="d",
        reason="r",
    )
    from django.core import signing  # noqa: PLC0415

    assert client.get(reverse("awards:proposal_verify", args=["forged"])).status_code == 410
    token = signing.dumps(proposal.pk, salt=services.VERIFY_SALT)
    import time_machine  # noqa: PLC0415

    with time_machine.travel(timezone.now() + services.VERIFY_VALID_FOR + timezone.timedelta(minutes=1)):
        response = client.post(reverse("awards:proposal_verify", args=[token]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_unverified_drafts_are_purged_after_two_days(client, django_capture_on_commit_callbacks):
    propose(client, django_capture_on_commit_callbacks)
    assert services.proposals_purge_unverified() == 0
    later = timezone.now() + services.VERIFY_VALID_FOR + timezone.timedelta(minutes=1)
    assert services.proposals_purge_unverified(now=later) >= 1
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("description", "x" * 10_000, "Ensure this value has at most 3000 characters"),
        ("reason", "ok\x00nul", "Null characters are not allowed."),
        ("email", "not-an-address", "Enter a valid email address."),
        ("proposer_name", "", "This field is required."),
        ("link", "javascript:alert(1)", "Enter a valid URL."),
        ("municipalities", ["999"], "Select a valid choice."),
    ],
)
def test_hostile_input_is_refused_with_a_message_and_keeps_what_was_typed(client, field, value, message):
    data = form_data(**{field: value})
    response = client.post(reverse("awards:proposal_create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Pirkko Perhe" in html or field == "proposer_name"  # the rest stays in the form
    assert "Perhetupa on avoin olohuone" in html or field == "description"
    assert not Proposal.objects.exists()


def test_scripts_and_formulas_are_stored_as_text_and_never_run(client, django_capture_on_commit_callbacks, otp_login):
    payload = '<script>alert("x")</script>'
    propose(
        client,
        django_capture_on_commit_callbacks,
        practice_name=payload,
        organisation_name='=HYPERLINK("http://evil")',
        reason="@SUM(1+1) ja muuta tekstiä, joka kertoo syyn palkinnolle.",
    )
    proposal = Proposal.objects.get()
    client.post(_path(_link_from(mail.outbox[-1])))
    staff_client = otp_login(Client(), UserFactory(is_staff=True))
    page = staff_client.get(reverse("awards:staff_proposal", args=[proposal.pk])).content.decode()
    assert payload not in page
    assert "&lt;script&gt;" in page
    csv = staff_client.get(reverse("awards:staff_proposals_csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv
    assert "'@SUM" in csv
    assert "\n=HYPERLINK" not in csv
    assert ";=HYPERLINK" not in csv


def test_trap_field_filled_stores_nothing(client):
    response = client.post(reverse("awards:proposal_create"), form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Proposal.objects.exists()
    assert mail.outbox == []


def test_rate_limited_per_address(client, django_capture_on_commit_callbacks):
    # PUBLIC_FORM_RATE: 5 an hour per client address, whatever the e-mail.
    for n in range(5):
        assert propose(client, django_capture_on_commit_callbacks, email=f"p{n}@example.fi").status_code == 302
    response = propose(client, django_capture_on_commit_callbacks, email="p9@example.fi")
    assert response.status_code == 429
    assert "Too many proposals from your address" in response.content.decode()
    assert "Perhetupa on avoin olohuone" in response.content.decode()  # what was typed stays
    assert Proposal.objects.count() == 5


def test_rate_limited_per_email_from_many_addresses(django_capture_on_commit_callbacks):
    statuses = [
        propose(Client(REMOTE_ADDR=f"10.0.0.{n}"), django_capture_on_commit_callbacks).status_code for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]
    assert Proposal.objects.count() == 5


def test_links_only_and_flood_are_held_for_staff(django_capture_on_commit_callbacks):
    links = services.proposal_create(
        data={**_data(), "description": "https://a.example https://b.example", "reason": "www.c.example"},
        municipalities=[],
        language="fi",
        ip="10.1.1.1",
    )
    assert services.proposal_verify(token=_token(links)).state == Proposal.State.HELD
    links.refresh_from_db()
    assert links.held_reason == Proposal.Held.LINKS_ONLY
    states = []
    for _n in range(services.FLOOD_COUNT + 1):
        proposal = services.proposal_create(data=_data(), municipalities=[], language="fi", ip="10.2.2.2")
        states.append(services.proposal_verify(token=_token(proposal)).held_reason)
    assert states == ["", "", "", Proposal.Held.FLOOD]


def _data(**overrides):
    data = form_data(**overrides)
    for key in ("municipalities", "website"):
        data.pop(key)
    return data


def _token(proposal):
    from django.core import signing  # noqa: PLC0415

    return signing.dumps(proposal.pk, salt=services.VERIFY_SALT)


@pytest.fixture
def verified():
    proposal = services.proposal_create(data=_data(), municipalities=[], language="sv", ip="10.3.3.3")
    return services.proposal_verify(token=_token(proposal))


def test_staff_reject_needs_a_reason_and_tells_the_proposer_in_their_language(
    verified, django_capture_on_commit_callbacks
):
    staff = UserFactory(is_staff=True)
    with pytest.raises(ValidationError, match="reason"):
        services.proposal_reject(proposal=verified, reason="  ", by=staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_reject(proposal=verified, reason="Ei kunnallinen käytäntö.", by=staff)
    (message,) = mail.outbox
    assert "Ei kunnallinen käytäntö." in message.body
    assert message.subject == "Ditt förslag ”Perhetupa”"  # in Swedish, the proposer's language
    other = services.proposal_verify(
        token=_token(services.proposal_create(data=_data(), municipalities=[], language="fi", ip="10.6.6.6"))
    )
    with pytest.raises(ValidationError, match="already been handled"):
        services.proposal_merge(proposal=verified, into=other, by=staff)


def test_staff_merge_points_at_the_surviving_proposal(verified, django_capture_on_commit_callbacks):
    staff = UserFactory(is_staff=True)
    other = services.proposal_verify(
        token=_token(services.proposal_create(data=_data(), municipalities=[], language="fi", ip="10.4.4.4"))
    )
    third = services.proposal_verify(
        token=_token(services.proposal_create(data=_data(), municipalities=[], language="fi", ip="10.5.5.5"))
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_merge(proposal=other, into=verified, by=staff)
    with pytest.raises(ValidationError, match="already been handled"):
        services.proposal_merge(proposal=other, into=third, by=staff)
    services.proposal_merge(proposal=third, into=other, by=staff)
    third.refresh_from_db()
    assert third.merged_into == verified  # not the merged one


def test_non_staff_cannot_decide(verified):
    from django.core.exceptions import PermissionDenied  # noqa: PLC0415

    with pytest.raises(PermissionDenied):
        services.proposal_reject(proposal=verified, reason="x", by=UserFactory())


def test_invite_starts_a_draft_for_the_organisation_credits_the_proposer_and_never_reaches_the_jury(
    verified, django_capture_on_commit_callbacks, otp_login
):
    cycle = AwardCycleFactory()  # open for nominations
    organisation = OrganisationFactory(name="Imatran kaupunki")
    staff = UserFactory(is_staff=True)
    mail.outbox.clear()
    staff_client = otp_login(Client(), staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("awards:staff_proposal", args=[verified.pk]),
            {"action": "invite", "organisation": organisation.pk, "email": "Johtaja@Imatra.fi", "language": "fi"},
        )
    assert response.status_code == 302
    verified.refresh_from_db()
    nomination = verified.nomination
    assert verified.state == Proposal.State.INVITED
    assert nomination.cycle == cycle
    assert nomination.organisation == organisation
    assert nomination.state == Nomination.State.DRAFT
    assert nomination.summary == verified.description
    assert nomination.created_by is None
    assert nomination.contact_email == ""
    invitation = Invitation.objects.get(email="johtaja@imatra.fi")
    assert invitation.role == Invitation.Role.NOMINATOR
    assert invitation.organisation == organisation
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["johtaja@imatra.fi", "johtaja@imatra.fi", verified.email]
    proposer_mail = next(m for m in mail.outbox if m.to == [verified.email])
    assert "Imatran kaupunki" in proposer_mail.body  # told in Swedish, naming the organisation

    # The draft is the organisation's: its nominator sees it, with the proposer credited.
    nominator = nominator_for(organisation)
    nominator_client = Client()
    nominator_client.force_login(nominator)
    page = nominator_client.get(reverse("awards:nomination_edit", args=[nomination.pk])).content.decode()
    assert "Proposed by Pirkko Perhe" in page
    # No jury ever sees a draft, even once the cycle moves on.
    AwardCycle.objects.filter(pk=cycle.pk).update(state=AwardCycle.State.SCORING)
    juror = JuryMembershipFactory(cycle=cycle).user
    assert not jury_nominations(juror).exists()


def test_invite_without_an_open_cycle_is_refused_and_changes_nothing(verified, otp_login):
    AwardCycle.objects.update(state=AwardCycle.State.CLOSED)
    staff_client = otp_login(Client(), UserFactory(is_staff=True))
    response = staff_client.post(
        reverse("awards:staff_proposal", args=[verified.pk]),
        {"action": "invite", "organisation": OrganisationFactory().pk, "email": "x@example.fi", "language": "fi"},
    )
    assert response.status_code == 400
    assert "No award cycle is open for nominations" in response.content.decode()
    verified.refresh_from_db()
    assert verified.state == Proposal.State.NEW
    assert not Nomination.objects.exists()


def test_staff_queue_query_count_does_not_grow(otp_login, django_assert_num_queries):
    staff_client = otp_login(Client(), UserFactory(is_staff=True))
    url = reverse("awards:staff_proposals")

    def make(n):
        for i in range(n):
            proposal = services.proposal_create(data=_data(), municipalities=[], language="fi", ip=f"10.9.{i}.1")
            services.proposal_verify(token=_token(proposal))

    make(1)
    with django_assert_num_queries(9):
        assert staff_client.get(url).status_code == 200
    make(20)
    with django_assert_num_queries(9):
        response = staff_client.get(url)
    assert response.content.decode().count("/henkilokunta/yleisoehdotukset/") >= 21


def test_anonymous_and_nominators_cannot_see_the_queue(verified, client):
    assert client.get(reverse("awards:staff_proposal", args=[verified.pk])).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("awards:staff_proposals")).status_code == 403
