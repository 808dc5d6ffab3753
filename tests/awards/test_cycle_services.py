"""Cycle states move only by the allowed transitions, checked at the moment of the action; copying a cycle."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import AuditEvent
from awards.models import AwardCycle, Nomination
from awards.services import cycles as cycle_services
from awards.services import nominations as services
from tests.factories import (
    AwardCycleFactory,
    OrganisationFactory,
    complete_draft,
    nominator_for,
    open_cycle_with_criteria,
)

pytestmark = pytest.mark.django_db

State = AwardCycle.State


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("staff@example.fi", "x", is_staff=True)


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        (State.DRAFT, State.OPEN, True),
        (State.OPEN, State.CLOSED, True),
        (State.CLOSED, State.SCORING, True),
        (State.CLOSED, State.OPEN, True),
        (State.DRAFT, State.SCORING, False),
        (State.OPEN, State.PUBLISHED, False),
        (State.SCORING, State.OPEN, False),
    ],
)
def test_cycle_transition_table(staff, start, target, allowed):
    cycle = open_cycle_with_criteria(1, state=start)
    if allowed:
        cycle_services.cycle_transition(cycle=cycle, to_state=target, by=staff)
        cycle.refresh_from_db()
        assert cycle.state == target
        assert AuditEvent.objects.filter(action="cycle.transition", target_id=str(cycle.pk)).exists()
    else:
        with pytest.raises(ValidationError, match="cannot move"):
            cycle_services.cycle_transition(cycle=cycle, to_state=target, by=staff)
        cycle.refresh_from_db()
        assert cycle.state == start


def test_cycle_open_needs_criteria_and_period(staff):
    no_criteria = AwardCycleFactory(state=State.DRAFT)
    with pytest.raises(ValidationError, match="criteria"):
        cycle_services.cycle_transition(cycle=no_criteria, to_state=State.OPEN, by=staff)
    no_period = open_cycle_with_criteria(1, state=State.DRAFT, nominations_open_at=None, nominations_close_at=None)
    with pytest.raises(ValidationError, match="period"):
        cycle_services.cycle_transition(cycle=no_period, to_state=State.OPEN, by=staff)


def test_cycle_transition_refused_when_someone_moved_it_meanwhile(staff):
    cycle = open_cycle_with_criteria(1, state=State.OPEN)
    stale_page = cycle.state
    cycle_services.cycle_transition(cycle=cycle, to_state=State.CLOSED, by=staff)
    with pytest.raises(ValidationError, match="someone changed it"):
        cycle_services.cycle_transition(cycle=cycle, to_state=State.DRAFT, expected_state=stale_page, by=staff)
    cycle.refresh_from_db()
    assert cycle.state == State.CLOSED


def test_cycle_closed_refuses_submission_drawn_while_open(staff):
    cycle = open_cycle_with_criteria(2)
    draft = complete_draft(cycle=cycle)
    cycle_services.cycle_transition(cycle=cycle, to_state=State.CLOSED, by=staff)
    with pytest.raises(ValidationError, match="period has ended"):
        services.nomination_submit(nomination=draft, by=draft.created_by)
    with pytest.raises(ValidationError, match="not open"):
        services.nomination_start(cycle=cycle, organisation=draft.organisation, by=draft.created_by, practice_name="Y")
    draft.refresh_from_db()
    assert draft.state == Nomination.State.DRAFT


def test_cycle_staff_page_moves_the_state(client, otp_login, staff):
    cycle = open_cycle_with_criteria(1, state=State.OPEN)
    otp_login(client, staff)
    page = client.get(reverse("awards:staff_cycle", args=[cycle.pk])).content.decode()
    assert "nominations closed" in page
    response = client.post(
        reverse("awards:staff_cycle_transition", args=[cycle.pk]), {"from_state": "open", "to_state": "closed"}
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.state == State.CLOSED
    bogus = client.post(
        reverse("awards:staff_cycle_transition", args=[cycle.pk]), {"from_state": "closed", "to_state": "nonsense"}
    )
    assert bogus.status_code == 302
    cycle.refresh_from_db()
    assert cycle.state == State.CLOSED


def test_cycle_staff_pages_refuse_non_staff(client):
    cycle = open_cycle_with_criteria(1)
    client.force_login(nominator_for(OrganisationFactory()))
    assert client.get(reverse("awards:staff_cycles")).status_code == 403
    response = client.post(reverse("awards:staff_cycle_transition", args=[cycle.pk]), {"to_state": "closed"})
    assert response.status_code == 403
    cycle.refresh_from_db()
    assert cycle.state == State.OPEN


def test_cycle_list_query_count_one_and_many(client, otp_login, staff, django_assert_num_queries):
    open_cycle_with_criteria(1)
    otp_login(client, staff)
    with django_assert_num_queries(8):
        response = client.get(reverse("awards:staff_cycles"))
    assert len(response.context["cycles"]) == 1
    for _ in range(6):
        complete_draft()
    with django_assert_num_queries(8):
        response = client.get(reverse("awards:staff_cycles"))
    assert len(response.context["cycles"]) == 7


def test_cycle_copy_copies_texts_and_criteria_and_shifts_dates(staff):
    source = open_cycle_with_criteria(3, prize_fi="1000 euron matka-apuraha", eligibility_fi="Kunnat")
    new = cycle_services.cycle_copy(source=source, year=source.year + 1, by=staff)
    assert new.state == State.DRAFT
    assert new.prize_fi == "1000 euron matka-apuraha"
    assert new.eligibility_fi == "Kunnat"
    assert [c.name_fi for c in new.criteria.all()] == [c.name_fi for c in source.criteria.all()]
    assert [c.weight for c in new.criteria.all()] == [c.weight for c in source.criteria.all()]
    assert new.nominations_close_at.year == source.nominations_close_at.year + 1
    assert source.criteria.count() == 3  # the source is untouched


def test_cycle_copy_to_existing_year_gives_clean_error(client, otp_login, staff):
    source = open_cycle_with_criteria(1)
    AwardCycleFactory(award=source.award, year=source.year + 1)
    otp_login(client, staff)
    response = client.post(reverse("awards:staff_cycle_copy", args=[source.pk]), {"year": source.year + 1})
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert AwardCycle.objects.filter(award=source.award, year=source.year + 1).count() == 1


def test_cycle_copy_on_the_staff_page(client, otp_login, staff):
    source = open_cycle_with_criteria(2)
    otp_login(client, staff)
    response = client.post(reverse("awards:staff_cycle_copy", args=[source.pk]), {"year": source.year + 1})
    new = AwardCycle.objects.get(award=source.award, year=source.year + 1)
    assert response["Location"] == reverse("awards:staff_cycle", args=[new.pk])
    assert new.criteria.count() == 2


def test_cycle_not_yet_open_refuses_start(staff):
    cycle = open_cycle_with_criteria(1)
    cycle.nominations_open_at = cycle.nominations_close_at - timedelta(hours=1)
    cycle.save()
    organisation = OrganisationFactory()
    with pytest.raises(ValidationError, match="not open"):
        services.nomination_start(
            cycle=cycle, organisation=organisation, by=nominator_for(organisation), practice_name="Z"
        )
