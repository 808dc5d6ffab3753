"""Nomination writes and the cycle's state: a write waits for a state change in progress and then sees it (the
cycle's row is share-locked by every nomination write), and closing never cuts a running extension short without
staff saying they mean it."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardCycle, DeadlineExtension, Nomination
from awards.selectors.nominations import nomination_is_changeable
from awards.services import cycles as cycle_services
from awards.services import nominations as services
from tests.factories import UserFactory, complete_draft, open_cycle_with_criteria


@pytest.mark.django_db(transaction=True)
def test_reopen_waits_for_the_cycle_being_closed_and_is_then_refused():
    cycle = open_cycle_with_criteria(1)
    draft = complete_draft(cycle=cycle)
    services.nomination_submit(nomination=draft, by=draft.created_by)
    closing, closed = threading.Event(), threading.Event()
    outcome = {}

    def reopen():
        closing.wait(10)
        try:
            services.nomination_reopen(nomination=draft, by=draft.created_by)
            outcome["result"] = "reopened"
        except ValidationError as exc:
            outcome["result"] = exc.error_list[0].code
        finally:
            outcome["finished_before_close"] = not closed.is_set()
            connection.close()

    worker = threading.Thread(target=reopen)
    worker.start()
    try:
        with transaction.atomic():
            # Staff close the cycle early (its closing time has not come): the row is locked until commit.
            locked = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
            locked.state = AwardCycle.State.CLOSED
            locked.save(update_fields=["state"])
            closing.set()
            worker.join(1.0)  # the reopening must wait for this transaction
            assert worker.is_alive(), "the reopening did not wait for the cycle's state change"
            closed.set()
    finally:
        closing.set()
        worker.join(10)
    assert outcome["finished_before_close"] is False
    assert outcome["result"] == "deadline"  # "the nomination can no longer be changed"
    draft.refresh_from_db()
    assert draft.state == Nomination.State.SUBMITTED


@pytest.mark.django_db
def test_moving_to_scoring_with_an_extension_running_needs_confirmation():
    cycle = open_cycle_with_criteria(1)
    draft = complete_draft(cycle=cycle)
    staff = UserFactory(is_staff=True)
    DeadlineExtension.objects.create(
        nomination=draft, until=cycle.nominations_close_at + timedelta(days=3), reason="Sairausloma.", granted_by=staff
    )
    AwardCycle.objects.filter(pk=cycle.pk).update(nominations_close_at=timezone.now() - timedelta(hours=1))
    cycle.refresh_from_db()
    cycle = cycle_services.cycle_transition(cycle=cycle, to_state=AwardCycle.State.CLOSED, by=staff)
    draft.refresh_from_db()
    assert nomination_is_changeable(draft)  # closed, but its extension runs on
    with pytest.raises(ValidationError, match="1 nomination still has a deadline extension running"):
        cycle_services.cycle_transition(cycle=cycle, to_state=AwardCycle.State.SCORING, by=staff)
    cycle.refresh_from_db()
    assert cycle.state == AwardCycle.State.CLOSED
    cycle_services.cycle_transition(
        cycle=cycle, to_state=AwardCycle.State.SCORING, by=staff, end_running_extensions=True
    )
    cycle.refresh_from_db()
    assert cycle.state == AwardCycle.State.SCORING


@pytest.mark.django_db
def test_staff_page_offers_the_confirmation_and_says_what_runs(client, otp_login):
    cycle = open_cycle_with_criteria(1)
    draft = complete_draft(cycle=cycle)
    staff = UserFactory(is_staff=True)
    DeadlineExtension.objects.create(
        nomination=draft, until=cycle.nominations_close_at + timedelta(days=3), reason="Sairausloma.", granted_by=staff
    )
    AwardCycle.objects.filter(pk=cycle.pk).update(state=AwardCycle.State.CLOSED)
    otp_login(client, staff)
    page = client.get(reverse("awards:staff_cycle", args=[cycle.pk])).content.decode()
    assert "Deadline extensions still running" in page
    assert "End the running extensions" in page
    response = client.post(
        reverse("awards:staff_cycle_transition", args=[cycle.pk]),
        {"from_state": "closed", "to_state": "scoring"},
        follow=True,
    )
    assert "still has a deadline extension running" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.state == AwardCycle.State.CLOSED
