"""The follow-up of winners: due one and three years after publication, sent once per organisation, practice and
milestone however often (and however concurrently) it runs, answered through a link, and published on the
practice's page and in the API only after staff approve."""

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardCycle, FollowUp
from awards.services import followup as services
from background import schedule
from tests.factories import UserFactory, decided_cycle

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def published():
    setup = decided_cycle(state=AwardCycle.State.PUBLISHED, results_published_at=PUBLISHED)
    setup.winner.language = "sv"
    setup.winner.save()
    return setup


def _link_path(message, language="en") -> str:
    """The link's path, in English for the tests' assertions (the e-mail's own language is checked apart)."""
    path = "/" + re.search(r"https?://[^/\s]+/(\S+/seuranta/\S+/)", message.body).group(1)
    return re.sub(r"^/(fi|sv|en)/", f"/{language}/", path)


def test_nothing_is_due_before_a_year_and_long_after(published):
    assert services.followups_send_due(now=PUBLISHED + timedelta(days=364)) == 0
    assert services.followups_send_due(now=PUBLISHED + timedelta(days=365 + services.GRACE.days + 1)) == 0
    assert not FollowUp.objects.exists()


def test_one_year_after_each_awarded_organisation_is_asked_once_in_its_language(
    published, django_capture_on_commit_callbacks
):
    now = PUBLISHED + timedelta(days=366)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.followups_send_due(now=now) == 2  # the winner and the honourable mention, no one else
    follow_ups = FollowUp.objects.order_by("nomination__name")
    assert {f.nomination_id for f in follow_ups} == {published.winner.pk, published.mention.pk}
    assert all(f.sent_at == now and f.milestone == 1 for f in follow_ups)
    winner_mail = [m for m in mail.outbox if published.winner_nominator.email in m.to]
    assert len(winner_mail) == 1
    assert "/sv/seuranta/" in winner_mail[0].body  # the organisation's language
    # The mention's organisation has no nominators: recorded, counted, and shown to staff as "no one to ask".
    assert FollowUp.objects.get(nomination=published.mention).recipients == 0

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.followups_send_due(now=now + timedelta(days=1)) == 0
    assert mail.outbox == []
    assert FollowUp.objects.count() == 2


def test_three_years_after_again_and_leap_days():
    assert services.anniversary(datetime(2024, 2, 29, 10, tzinfo=UTC), 1).date().isoformat() == "2025-03-01"
    assert services.anniversary(PUBLISHED, 3).year == 2028


def test_three_year_follow_up_is_separate(published, django_capture_on_commit_callbacks):
    services.followups_send_due(now=PUBLISHED + timedelta(days=366))
    assert services.followups_send_due(now=services.anniversary(PUBLISHED, 3) + timedelta(hours=1)) == 2
    assert sorted(FollowUp.objects.values_list("milestone", flat=True)) == [1, 1, 3, 3]


def test_the_queue_runs_the_due_function(published):
    """The queue's timed work (background/schedule.py) sends the follow-ups that are due."""
    results = schedule.run_due(PUBLISHED + timedelta(days=370))
    assert results["awards.followups"] == 2
    assert FollowUp.objects.filter(sent_at__isnull=False).count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_each_follow_up_once(published):
    now = PUBLISHED + timedelta(days=366)
    barrier = threading.Barrier(3)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(services.followups_send_due(now=now))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(results) == 2
    assert FollowUp.objects.count() == 2
    assert len([m for m in mail.outbox if published.winner_nominator.email in m.to]) == 1


@pytest.fixture
def sent(published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.followups_send_due(now=PUBLISHED + timedelta(days=366))
    message = next(m for m in mail.outbox if published.winner_nominator.email in m.to)
    return FollowUp.objects.get(nomination=published.winner), _link_path(message)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"still_running": "", "changes": "x", "answered_by": "A"}, "This field is required."),
        ({"still_running": "maybe", "changes": "x", "answered_by": "A"}, "Select a valid choice."),
        ({"still_running": "yes", "spread": "", "answered_by": "A"}, "Tell us at least a little"),
        ({"still_running": "yes", "changes": "y" * 10_000, "answered_by": "A"}, "at most 3000 characters"),
        ({"still_running": "yes", "changes": "a\x00b", "answered_by": "A"}, "Null characters are not allowed."),
        ({"still_running": "yes", "changes": "x", "answered_by": ""}, "This field is required."),
    ],
)
def test_hostile_answers_are_refused_and_kept(sent, client, data, message):
    followup, path = sent
    response = client.post(path, {"spread": "Lappeenranta ottanut käyttöön.", **data})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Lappeenranta ottanut käyttöön." in html or data.get("spread") == ""
    followup.refresh_from_db()
    assert followup.state == FollowUp.State.WAITING


def test_answer_is_public_only_after_staff_approve(sent, published, client, otp_login):
    followup, path = sent
    practice = followup.practice
    practice.is_public = True
    practice.save()
    # Reversed once: the API's unprefixed URLs switch the active language to the default (Finnish).
    url = practice.get_absolute_url()
    assert client.get(path).status_code == 200
    payload = "<script>alert(1)</script>"
    response = client.post(
        path,
        {
            "still_running": "changed",
            "spread": "Lappeenranta ja Imatra.",
            "changes": f"Malli laajeni kouluihin. {payload}",
            "evaluation": "",
            "answered_by": "Kaisa Kehittäjä, johtava sosiaalityöntekijä",
        },
    )
    assert response.status_code == 200
    followup.refresh_from_db()
    assert followup.state == FollowUp.State.ANSWERED
    assert client.post(path, {"still_running": "no", "changes": "x", "answered_by": "x"}).status_code == 410

    page = client.get(url).content.decode()
    assert "Lappeenranta ja Imatra." not in page
    api = client.get(reverse("api:practice-detail", args=[practice.slug])).json()
    assert api["follow_ups"] == []

    staff = otp_login(Client(), UserFactory(is_staff=True))
    assert (
        staff.post(reverse("awards:staff_follow_up_action", args=[followup.pk]), {"action": "approve"}).status_code
        == 302
    )
    page = client.get(url).content.decode()
    assert "What happened next" in page
    assert "Lappeenranta ja Imatra." in page
    assert payload not in page
    assert "&lt;script&gt;" in page
    api = client.get(reverse("api:practice-detail", args=[practice.slug])).json()
    (entry,) = api["follow_ups"]
    assert entry["years_after"] == 1
    assert entry["year"] == published.cycle.year
    assert entry["still_running"] == "changed"
    assert entry["answered_on"] == timezone.localdate(followup.answered_at).isoformat()
    assert "answered_by" not in entry  # a person's name stays on the page only

    staff.post(reverse("awards:staff_follow_up_action", args=[followup.pk]), {"action": "decline"})
    assert "Lappeenranta ja Imatra." not in client.get(url).content.decode()


def test_staff_see_who_has_not_answered_and_may_remind(sent, published, otp_login, django_capture_on_commit_callbacks):
    followup, _path = sent
    staff = otp_login(Client(), UserFactory(is_staff=True))
    page = staff.get(reverse("awards:staff_follow_ups")).content.decode()
    assert page.count("not answered") == 2
    assert "no one to ask" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("awards:staff_follow_up_action", args=[followup.pk]), {"action": "remind"})
    (message,) = mail.outbox
    assert message.to == [published.winner_nominator.email]
    followup.refresh_from_db()
    assert followup.reminded_at is not None


def test_forged_or_expired_link(sent, client):
    _followup, path = sent
    assert client.get(path.replace("/seuranta/", "/seuranta/x")).status_code == 410
    import time_machine  # noqa: PLC0415

    with time_machine.travel(timezone.now() + services.ANSWER_VALID_FOR + timedelta(days=1)):
        response = client.get(path)
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_staff_list_query_count_does_not_grow(published, otp_login, django_assert_num_queries):
    staff = otp_login(Client(), UserFactory(is_staff=True))
    services.followups_send_due(now=PUBLISHED + timedelta(days=366))
    with django_assert_num_queries(9):
        assert staff.get(reverse("awards:staff_follow_ups")).status_code == 200
    for n in range(3):
        other = decided_cycle(
            state=AwardCycle.State.PUBLISHED, results_published_at=PUBLISHED + timedelta(minutes=n), year=2300 + n
        )
        assert other
    services.followups_send_due(now=PUBLISHED + timedelta(days=366))
    with django_assert_num_queries(9):
        response = staff.get(reverse("awards:staff_follow_ups"))
    assert response.content.decode().count("not answered") == 8
