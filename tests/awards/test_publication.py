"""Publishing a result: the checks, scheduling, the nominators' e-mails, the staff desk, images and the demo."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts.models import AuditEvent, User
from awards.models import AnnouncementImage, AwardCycle, NotificationLog
from awards.services.publication import cycle_publish, cycle_unpublish, notifications_send, notifications_send_due
from background.schedule import run_due
from background.workers import run_queued
from tests.factories import UserFactory, decided_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def test_publish_now_emails_nominators_in_their_language(staff):
    data = decided_cycle()
    cycle_publish(cycle=data.cycle, by=staff)
    data.cycle.refresh_from_db()
    assert data.cycle.state == AwardCycle.State.PUBLISHED
    assert AwardCycle.objects.results_public().filter(pk=data.cycle.pk).exists()
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {data.winner_nominator.email, data.nominee_nominator.email}
    winner_mail = by_recipient[data.winner_nominator.email]
    assert "Vinnarens motivering." in winner_mail.body  # Swedish user: the Swedish citation
    assert "har vunnit" in winner_mail.body  # Swedish
    assert f"/sv/palkinto/{data.cycle.year}/" in winner_mail.body
    nominee_mail = by_recipient[data.nominee_nominator.email]
    assert "not among those awarded" in nominee_mail.body or "ei ollut" in nominee_mail.body
    assert f"/fi/palkinto/{data.cycle.year}/" in nominee_mail.body
    logs = {log.email: log for log in NotificationLog.objects.filter(cycle=data.cycle)}
    assert logs[data.winner_nominator.email].kind == NotificationLog.Kind.WINNER
    assert logs[data.winner_nominator.email].language == "sv"
    assert logs[data.nominee_nominator.email].kind == NotificationLog.Kind.NOMINEE
    assert AuditEvent.objects.filter(action="cycle.published", target_id=str(data.cycle.pk)).exists()


def test_notifications_sent_once(staff):
    data = decided_cycle()
    cycle_publish(cycle=data.cycle, by=staff)
    assert len(mail.outbox) == 2
    assert notifications_send(cycle=data.cycle) == 0
    assert notifications_send_due() == 0
    run_queued()
    assert len(mail.outbox) == 2
    assert NotificationLog.objects.filter(cycle=data.cycle).count() == 2


def test_scheduled_publication_emails_when_moment_passes(staff):
    """The moment's task waits in the queue; before the moment running the queue sends nothing, after it the
    e-mails go out once, however often the queue and its due work run."""
    data = decided_cycle()
    moment = timezone.now() + timedelta(hours=3)
    cycle_publish(cycle=data.cycle, by=staff, at=moment)
    assert mail.outbox == []
    with time_machine.travel(moment - timedelta(seconds=1), tick=False):
        run_queued()
        run_due()
        assert mail.outbox == []
        assert not AwardCycle.objects.results_public().filter(pk=data.cycle.pk).exists()
    with time_machine.travel(moment + timedelta(seconds=1), tick=False):
        run_queued()
        assert len(mail.outbox) == 2
        run_queued()
        run_due()
        assert len(mail.outbox) == 2


def test_publish_refused_without_swedish_citation(staff):
    data = decided_cycle()
    entry = data.decision.entries.get(nomination=data.mention)
    entry.citation_sv = ""
    entry.save()
    with pytest.raises(ValidationError) as error:
        cycle_publish(cycle=data.cycle, by=staff)
    assert "citation in Swedish" in str(error.value)
    data.cycle.refresh_from_db()
    assert data.cycle.results_published_at is None
    assert mail.outbox == []


def test_publish_refused_for_draft_decision(staff):
    data = decided_cycle()
    data.decision.state = "draft"
    data.decision.save()
    with pytest.raises(ValidationError):
        cycle_publish(cycle=data.cycle, by=staff)


def test_publish_refused_for_chair():
    data = decided_cycle()
    with pytest.raises(PermissionDenied):
        cycle_publish(cycle=data.cycle, by=data.chair)


def test_publish_refused_for_moment_in_past(staff):
    data = decided_cycle()
    with pytest.raises(ValidationError):
        cycle_publish(cycle=data.cycle, by=staff, at=timezone.now() - timedelta(hours=1))


def test_unpublish_hides_year_page(client, staff):
    data = decided_cycle()
    cycle_publish(cycle=data.cycle, by=staff)
    url = f"/fi/palkinto/{data.cycle.year}/"
    assert client.get(url).status_code == 200
    cycle_unpublish(cycle=data.cycle, by=staff, reason="Väärä voittaja.")
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(action="cycle.unpublished", data__reason="Väärä voittaja.").exists()


def test_staff_preview_shows_page_before_publication(client, otp_login, staff):
    data = decided_cycle()
    otp_login(client, staff)
    preview = client.get(f"/en/palkinto/{data.cycle.year}/julkistus/esikatselu/")
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Voittajan perustelu." in body
    assert "Preview." in body
    assert "salainen.yhteys@example.fi" not in body
    client.logout()
    assert client.get(f"/fi/palkinto/{data.cycle.year}/").status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "nominator", "chair"])
def test_publication_desk_hidden_from_non_staff(client, otp_login, role):
    data = decided_cycle()
    if role == "nominator":
        otp_login(client, data.winner_nominator)
    elif role == "chair":
        otp_login(client, data.chair)
    for suffix in ("julkistus/", "julkistus/esikatselu/", "julkistus/ilmoitukset/"):
        response = client.get(f"/fi/palkinto/{data.cycle.year}/{suffix}")
        if role == "anonymous":
            assert response.status_code == 302
            assert "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 404
    assert client.post(f"/en/palkinto/{data.cycle.year}/julkistus/julkaise/", {"when": "now"}).status_code in (302, 404)
    assert mail.outbox == []


def test_staff_without_second_factor_is_sent_to_sign_in(client, staff):
    data = decided_cycle()
    client.force_login(staff)
    response = client.get(f"/en/palkinto/{data.cycle.year}/julkistus/")
    assert response.status_code == 302


def test_staff_desk_shows_consent_and_publishes(client, otp_login, staff):
    data = decided_cycle()
    otp_login(client, staff)
    desk = client.get(f"/en/palkinto/{data.cycle.year}/julkistus/").content.decode()
    assert data.unconsented.name in desk
    assert "no consent" in desk
    # Publishing starts from a confirmation page, not from a button on the desk.
    assert f'href="/en/palkinto/{data.cycle.year}/julkistus/julkaise/"' in desk
    assert 'enctype="multipart/form-data"' in desk
    chunks = desk.split("<form")[1:]
    assert all("</form>" in chunk for chunk in chunks)  # no form nested in another
    confirm = client.get(f"/en/palkinto/{data.cycle.year}/julkistus/julkaise/").content.decode()
    assert f'action="/en/palkinto/{data.cycle.year}/julkistus/julkaise/"' in confirm
    assert mail.outbox == []  # looking at the confirmation sends nothing
    response = client.post(f"/en/palkinto/{data.cycle.year}/julkistus/julkaise/", {"when": "now"})
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    log = client.get(f"/en/palkinto/{data.cycle.year}/julkistus/ilmoitukset/").content.decode()
    assert data.winner_nominator.email in log
    assert data.nominee_nominator.email in log


def test_staff_schedule_in_past_gets_field_error(client, otp_login, staff):
    data = decided_cycle()
    otp_login(client, staff)
    response = client.post(
        f"/en/palkinto/{data.cycle.year}/julkistus/julkaise/", {"when": "scheduled", "at": "2020-01-01T10:00"}
    )
    assert response.status_code == 400
    assert "Choose a moment in the future" in response.content.decode()
    data.cycle.refresh_from_db()
    assert data.cycle.results_published_at is None


def test_announcement_image_upload_stored_with_alt(client, otp_login, staff, settings):
    data = decided_cycle()
    otp_login(client, staff)
    upload = SimpleUploadedFile("kuva.jpg", png_bytes(), content_type="image/jpeg")
    response = client.post(
        f"/en/palkinto/{data.cycle.year}/julkistus/kuvat/", {"image": upload, "alt_fi": "Palkitut lavalla."}
    )
    assert response.status_code == 302
    image = AnnouncementImage.objects.get(announcement=data.announcement)
    assert image.image.name.endswith(".png")  # named by its content, not the uploader's name
    assert (settings.MEDIA_ROOT / image.image.name).exists()
    cycle_publish(cycle=data.cycle, by=staff)
    client.logout()
    body = client.get(f"/fi/palkinto/{data.cycle.year}/").content.decode()
    assert 'alt="Palkitut lavalla."' in body
    assert '<meta property="og:image"' in body


def test_announcement_image_without_alt_or_fake_content_refused(client, otp_login, staff):
    data = decided_cycle()
    otp_login(client, staff)
    fake = SimpleUploadedFile("kuva.png", b"<?php echo 'hi'; ?>" * 20, content_type="image/png")
    response = client.post(f"/en/palkinto/{data.cycle.year}/julkistus/kuvat/", {"image": fake, "alt_fi": "Kuva"})
    assert response.status_code == 400
    assert 'id="id_image"' in response.content.decode()
    assert "is-invalid" in response.content.decode()
    no_alt = SimpleUploadedFile("kuva.png", png_bytes(), content_type="image/png")
    response = client.post(f"/fi/palkinto/{data.cycle.year}/julkistus/kuvat/", {"image": no_alt, "alt_fi": ""})
    assert response.status_code == 400
    assert "Tämä kenttä vaaditaan." in response.content.decode()  # next to the field, in the page's language
    assert not AnnouncementImage.objects.exists()


def test_announcement_form_keeps_typed_text_on_error(client, otp_login, staff):
    data = decided_cycle()
    otp_login(client, staff)
    response = client.post(
        f"/en/palkinto/{data.cycle.year}/julkistus/teksti/", {"title_fi": "", "text_fi": "Kirjoitettu teksti."}
    )
    assert response.status_code == 400
    assert "Kirjoitettu teksti." in response.content.decode()


def test_demo_cycle_unpublished_until_staff_publish(client, otp_login):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    cycle = AwardCycle.objects.get(year=2024)
    assert cycle.state == AwardCycle.State.DECIDED
    assert cycle.decision.state == "confirmed"
    assert cycle.decision.entries.count() == 3
    assert client.get("/fi/palkinto/2024/").status_code == 404
    assert client.get("/fi/palkinto/2017/").status_code == 200
    staff_client = otp_login(Client(), User.objects.get(email="admin@demo.fi"))
    assert staff_client.post("/fi/palkinto/2024/julkistus/julkaise/", {"when": "now"}).status_code == 302
    body = client.get("/fi/palkinto/2024/").content.decode()
    assert "Monitoimijainen perhekeskus Pohjanmaalla" in body
    assert "yhteys1@example.fi" not in body
    assert "2024" in client.get("/fi/palkinto/arkisto/").content.decode()
    assert {m.to[0] for m in mail.outbox} >= {"nominator@imatra.demo.fi", "nominator@vantaa.demo.fi"}


def test_announcement_image_remove_deletes_file(client, otp_login, staff, settings, django_capture_on_commit_callbacks):
    data = decided_cycle()
    otp_login(client, staff)
    upload = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    client.post(f"/en/palkinto/{data.cycle.year}/julkistus/kuvat/", {"image": upload, "alt_fi": "Logo."})
    image = AnnouncementImage.objects.get()
    path = settings.MEDIA_ROOT / image.image.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/palkinto/{data.cycle.year}/julkistus/kuvat/{image.pk}/poista/")
    assert response.status_code == 302
    assert not AnnouncementImage.objects.exists()
    assert not path.exists()
    assert AuditEvent.objects.filter(action="announcement.image_removed").exists()


def test_decision_index_lists_cycles_for_staff_and_own_for_chair(client, otp_login, staff):
    data = decided_cycle()
    other = decided_cycle()
    otp_login(client, staff)
    body = client.get("/fi/palkinto/paatokset/").content.decode()
    assert f"/fi/palkinto/{data.cycle.year}/julkistus/" in body
    assert f"/fi/palkinto/{other.cycle.year}/julkistus/" in body
    otp_login(client, data.chair)
    body = client.get("/fi/palkinto/paatokset/").content.decode()
    assert f"/fi/palkinto/{data.cycle.year}/paatos/" in body
    assert f"/fi/palkinto/{other.cycle.year}/" not in body
    assert "julkistus" not in body
    otp_login(client, data.winner_nominator)
    assert client.get("/fi/palkinto/paatokset/").status_code == 404


def test_feed_conditional_get(client, staff):
    data = decided_cycle()
    cycle_publish(cycle=data.cycle, by=staff)
    first = client.get("/fi/palkinto/arkisto/syote/")
    assert client.get("/fi/palkinto/arkisto/syote/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_staff_desk_shows_the_announcement_date_in_the_date_input(client, otp_login, staff):
    # A browser's date input accepts only ISO dates: a localised value would show empty and be lost on saving.
    data = decided_cycle()
    data.cycle.announcement_on = timezone.localdate() + timedelta(days=40)
    data.cycle.save()
    otp_login(client, staff)
    desk = client.get(f"/fi/palkinto/{data.cycle.year}/julkistus/").content.decode()
    assert f'value="{data.cycle.announcement_on.isoformat()}"' in desk


def test_publish_confirmation_shows_what_becomes_public_and_each_email(client, otp_login, staff):
    data = decided_cycle()
    otp_login(client, staff)
    page = client.get(f"/en/palkinto/{data.cycle.year}/julkistus/julkaise/")
    body = page.content.decode()
    assert data.winner.name in body
    # Two nominators with accounts: a Swedish-speaking one of the winner, a Finnish-speaking one of a nominee.
    assert "2 e-mails to the nominators" in body
    assert "Winner" in body
    assert "Swedish" in body
    assert "Finnish" in body
    # The previews are the real e-mails, in the recipients' languages.
    assert 'lang="sv"' in body
    assert data.winner.name in body.split("Each e-mail as its recipients will get it")[1]
    assert "salainen.yhteys@example.fi" not in body  # contact details stay private
    assert mail.outbox == []
