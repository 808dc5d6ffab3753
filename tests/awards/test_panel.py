"""The experts-by-experience panel: invited without a password, signing in with an e-mailed code, reading only what
staff cleared, answering its own rubric, and shown to the chair as a column of its own under pseudonyms."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Invitation
from accounts.services import invitation_send
from awards.models import PanelClearance, PanelMembership, PanelReview, SafeguardCheck
from awards.selectors.jury import ranking
from awards.selectors.panel import code_sign_in_allowed, panel_nominations
from awards.services import panel as services
from tests.factories import JuryMembershipFactory, UserFactory
from tests.factories.jury import ScoringCycleFactory, SubmittedNominationFactory, criteria_for, review_with_scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    cycle = ScoringCycleFactory()
    criteria_for(cycle, weights=(2, 1))
    return cycle


@pytest.fixture
def member(cycle):
    user = UserFactory(password=None, first_name="Aada", last_name="Nuori", email="aada@example.fi")
    return services.panel_member_add(cycle=cycle, user=user)


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def _code_from(message) -> str:
    return re.search(r"^\s*(\d{6})\s*$", message.body, re.MULTILINE).group(1)


def sign_in(client, email, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("awards:panel_sign_in"), {"email": email})
    assert response.status_code == 302
    return response


def test_invitation_to_the_panel_creates_an_account_without_password(
    cycle, staff, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(email="Uusi@Example.fi", role="panel", scope=cycle, language="en", by=staff)
    (message,) = mail.outbox
    assert "You need no password" in message.body
    # As the invitation page's script does: the code after the link's '#' is posted, then the page opens.
    opener = re.search(r"https?://[^/]+(/\S+/accounts/invitation/)#(\S+)", message.body)
    opened = client.post(opener.group(1), {"token": opener.group(2)})
    assert opened.status_code == 302
    url = opened["Location"]
    page = client.get(url).content.decode()
    assert 'name="password1"' not in page
    assert 'name="first_name"' in page
    response = client.post(url, {"first_name": "Ville", "last_name": ""})
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("awards:panel_sign_in"))
    membership = PanelMembership.objects.get(cycle=cycle)
    user = membership.user
    assert user.email == "uusi@example.fi"
    assert not user.has_usable_password()
    assert membership.pseudonym == "Raatilainen 1" or membership.pseudonym.endswith(" 1")
    assert Invitation.objects.get().accepted_at is not None
    assert "_auth_user_id" not in client.session  # not signed in before the code
    assert 'value="uusi@example.fi"' in client.get(reverse("awards:panel_sign_in")).content.decode()


def test_sign_in_with_the_emailed_code(member, client, django_capture_on_commit_callbacks):
    sign_in(client, "AADA@example.fi", django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == ["aada@example.fi"]
    code = _code_from(message)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(reverse("awards:panel_code"), {"code": wrong})
    assert response.status_code == 400
    assert "The code is wrong or no longer valid" in response.content.decode()
    # One wrong try slows the next one down (django-otp's throttling): wait, then the right code works.
    import time_machine  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=3)):
        response = client.post(reverse("awards:panel_code"), {"code": code})
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:panel_home")
    assert client.get(reverse("awards:panel_home")).status_code == 200
    # A code works once.
    assert services.panel_code_verify(email="aada@example.fi", code=code) is None


def test_code_is_sent_only_to_panel_members_without_password(member, cycle, client, django_capture_on_commit_callbacks):
    juror = JuryMembershipFactory(cycle=cycle, user__email="juror@example.fi").user
    for email in ("nobody@example.fi", juror.email):
        sign_in(client, email, django_capture_on_commit_callbacks)
        assert mail.outbox == []  # the same answer, no mail: nothing reveals who is on the panel
    services.panel_member_add(cycle=cycle, user=juror)
    assert not code_sign_in_allowed(juror)  # a juror keeps password and authenticator
    staff = UserFactory(is_staff=True, password=None)
    services.panel_member_add(cycle=cycle, user=staff)
    assert not code_sign_in_allowed(staff)


def test_code_requests_are_limited(member, client, django_capture_on_commit_callbacks):
    statuses = []
    for _n in range(6):
        with django_capture_on_commit_callbacks(execute=True):
            statuses.append(client.post(reverse("awards:panel_sign_in"), {"email": member.user.email}).status_code)
    assert statuses == [302] * 5 + [429]
    assert len(mail.outbox) == 1  # the next codes waited for the cooldown


def test_panel_member_reads_only_what_staff_cleared(cycle, member, staff, otp_login):
    cleared = SubmittedNominationFactory(cycle=cycle, contact_name="Kaisa Kontakti", contact_email="k@kunta.fi")
    hidden = SubmittedNominationFactory(cycle=cycle)
    held = SubmittedNominationFactory(cycle=cycle)
    for nomination in (cleared, held):
        services.panel_clearance_save(nomination=nomination, by=staff, plain_summary_fi="Selkokielinen kuvaus.")
    SafeguardCheck.objects.create(nomination=held, state=SafeguardCheck.State.FLAGGED, nominator_reason="x")
    assert list(panel_nominations(member.user, cycle)) == [cleared]
    client = otp_login(Client(), member.user)
    page = client.get(reverse("awards:panel_review", args=[cycle.year, cleared.pk])).content.decode()
    assert "Selkokielinen kuvaus." in page
    assert "Kaisa Kontakti" not in page
    assert "k@kunta.fi" not in page
    assert client.get(reverse("awards:panel_review", args=[cycle.year, hidden.pk])).status_code == 404
    assert client.get(reverse("awards:panel_review", args=[cycle.year, held.pk])).status_code == 404
    # The jury's pages are not the panel's.
    assert client.get(reverse("awards:jury_review", args=[cycle.year, cleared.pk])).status_code == 404
    assert client.get(reverse("awards:nomination_detail", args=[cleared.pk])).status_code == 404

    PanelClearance.objects.filter(nomination=cleared).update(show_contact=True)
    page = client.get(reverse("awards:panel_review", args=[cycle.year, cleared.pk])).content.decode()
    assert "Kaisa Kontakti" in page
    assert "k@kunta.fi" not in page


def test_panel_gets_only_cleared_attachments_and_only_their_cleaned_copies(cycle, member, staff, otp_login):
    from awards.files import DOCX  # noqa: PLC0415
    from awards.models import Attachment  # noqa: PLC0415
    from awards.services.safeguard import attachment_scan  # noqa: PLC0415
    from tests.factories import documents as make  # noqa: PLC0415

    nomination = SubmittedNominationFactory(cycle=cycle)
    attachments = []
    for n in range(2):
        data = make.docx_with_properties()
        stored = f"{'ab' * 16}{n}.docx"
        from awards import files  # noqa: PLC0415

        path = files.attachment_path(stored)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        attachment = Attachment.objects.create(
            nomination=nomination, stored_name=stored, original_name=f"liite{n}.docx", content_type=DOCX, size=len(data)
        )
        attachment_scan(attachment=attachment)
        attachments.append(attachment)
    services.panel_clearance_save(nomination=nomination, by=staff, attachments=[attachments[0]])
    client = otp_login(Client(), member.user)
    url = lambda a: reverse("awards:panel_attachment", args=[cycle.year, nomination.pk, a.pk])  # noqa: E731
    response = client.get(url(attachments[0]))
    assert response.status_code == 200
    import io  # noqa: PLC0415
    import zipfile  # noqa: PLC0415

    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        everything = b"".join(archive.read(n) for n in archive.namelist())
    assert make.AUTHOR.encode() not in everything
    assert client.get(url(attachments[1])).status_code == 404


def _answers(cycle):
    return {q.pk: v for q, v in zip(cycle.panel_questions.order_by("order"), (4, 3, None, 4), strict=True)}


def test_answers_are_saved_and_shown_to_the_chair_in_their_own_column(cycle, member, staff, otp_login):
    nomination = SubmittedNominationFactory(cycle=cycle, name="Perhetupa")
    other = SubmittedNominationFactory(cycle=cycle, name="Koulukuraattori")
    chair = JuryMembershipFactory(cycle=cycle, role="chair").user
    review_with_scores(chair, nomination, [3, 3])
    review_with_scores(chair, other, [5, 5])
    before = [(r.nomination_id, r.weighted, r.normalised) for r in ranking(chair, cycle).rows]

    services.panel_clearance_save(nomination=nomination, by=staff)
    services.panel_member_rename(membership=member, pseudonym="Kettu", by=staff)
    client = otp_login(Client(), member.user)
    data = {f"q_{q}": ("na" if v is None else str(v)) for q, v in _answers(cycle).items()}
    data.update(comment="Tämä olisi auttanut meitä.", submit="1")
    response = client.post(reverse("awards:panel_review", args=[cycle.year, nomination.pk]), data)
    assert response.status_code == 302
    review = PanelReview.objects.get()
    assert review.state == PanelReview.State.SUBMITTED
    assert sorted((a.value or 0) for a in review.answers.all()) == [0, 3, 4, 4]

    after = [(r.nomination_id, r.weighted, r.normalised) for r in ranking(chair, cycle).rows]
    assert after == before  # never mixed into the jury's scores or normalisation

    chair_page = otp_login(Client(), chair).get(reverse("awards:jury_ranking", args=[cycle.year])).content.decode()
    assert "Panel (1–4)" in chair_page
    assert "3.67" in chair_page  # (4 + 3 + 4) / 3, "I cannot say" left out
    assert "<strong>Kettu</strong>: Tämä olisi auttanut meitä." in chair_page
    assert "Aada" not in chair_page
    assert "aada@example.fi" not in chair_page


@pytest.mark.parametrize(
    ("comment", "message"),
    [("x" * 10_000, "Ensure this value has at most 3000 characters"), ("a\x00b", "Null characters are not allowed.")],
)
def test_hostile_comment_is_refused_and_kept(cycle, member, otp_login, comment, message):
    nomination = SubmittedNominationFactory(cycle=cycle)
    services.panel_clearance_save(nomination=nomination, by=UserFactory(is_staff=True))
    client = otp_login(Client(), member.user)
    question = cycle.panel_questions.first()
    response = client.post(
        reverse("awards:panel_review", args=[cycle.year, nomination.pk]),
        {f"q_{question.pk}": "3", "comment": comment, "submit": "1"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert re.search(r'value="3"[^>]*checked', response.content.decode())  # the chosen answer stays chosen
    assert not PanelReview.objects.exists()


def test_answer_out_of_scale_or_after_close_is_refused(cycle, member, staff):
    from django.core.exceptions import ValidationError  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    nomination = SubmittedNominationFactory(cycle=cycle)
    services.panel_clearance_save(nomination=nomination, by=staff)
    question = cycle.panel_questions.first()
    with pytest.raises(ValidationError):
        services.panel_review_save(
            user=member.user, nomination=nomination, answers={question.pk: 9}, comment="", submit=True
        )
    cycle.jury_closed_at = timezone.now()
    cycle.save()
    with pytest.raises(ValidationError, match="ended"):
        services.panel_review_save(
            user=member.user, nomination=nomination, answers={question.pk: 2}, comment="", submit=True
        )


def test_pseudonyms_are_unique_and_never_the_real_name(cycle, member, staff):
    from django.core.exceptions import ValidationError  # noqa: PLC0415

    other = services.panel_member_add(cycle=cycle, user=UserFactory(password=None))
    assert other.pseudonym != member.pseudonym
    services.panel_member_rename(membership=member, pseudonym="Kettu", by=staff)
    with pytest.raises(ValidationError, match="Another member"):
        services.panel_member_rename(membership=other, pseudonym="kettu", by=staff)
    with pytest.raises(ValidationError, match="own name"):
        services.panel_member_rename(membership=member, pseudonym="Aada", by=staff)


def test_worklist_query_count_does_not_grow(cycle, member, staff, otp_login, django_assert_num_queries):
    client = otp_login(Client(), member.user)
    url = reverse("awards:panel_worklist", args=[cycle.year])
    services.panel_clearance_save(nomination=SubmittedNominationFactory(cycle=cycle), by=staff)
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
    for _n in range(15):
        services.panel_clearance_save(nomination=SubmittedNominationFactory(cycle=cycle), by=staff)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count("panel-card d-block") == 16


def test_manage_page_query_count_does_not_grow(cycle, member, staff, otp_login, django_assert_num_queries):
    client = otp_login(Client(), staff)
    url = reverse("awards:panel_manage", args=[cycle.year])
    SubmittedNominationFactory(cycle=cycle)
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200
    for _n in range(10):
        SubmittedNominationFactory(cycle=cycle)
        services.panel_member_add(cycle=cycle, user=UserFactory(password=None))
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200
