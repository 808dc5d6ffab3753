"""Staff's jury management: assignment, reminders, conflicts, export; and query counts of the jury's list pages."""

import csv
import io
from collections import Counter

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent
from awards.models import Assignment, AwardCycle, ConflictOfInterest, JuryMembership
from awards.selectors.jury import assigned_nominations
from awards.services import jury as services
from tests.factories import JuryMembershipFactory, MembershipFactory, UserFactory
from tests.factories.jury import (
    ConflictFactory,
    ScoringCycleFactory,
    SubmittedNominationFactory,
    criteria_for,
    review_with_scores,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


@pytest.fixture
def cycle():
    cycle = ScoringCycleFactory()
    criteria_for(cycle, weights=(2, 1))
    return cycle


def test_assignment_balanced_never_conflicted(cycle, staff):
    jurors = [JuryMembershipFactory(cycle=cycle).user for _ in range(4)]
    nominations = [SubmittedNominationFactory(cycle=cycle) for _ in range(6)]
    MembershipFactory(user=jurors[0], organisation=nominations[0].organisation, can_nominate=False)
    ConflictFactory(user=jurors[1], nomination=nominations[0])
    result = services.assignments_balance(cycle=cycle, per_nomination=2, by=staff)
    cycle.refresh_from_db()
    assert cycle.jury_assignment == AwardCycle.JuryAssignment.SELECTED
    per_nomination = Counter(Assignment.objects.values_list("nomination_id", flat=True))
    assert set(per_nomination.values()) == {2}
    assert not Assignment.objects.filter(nomination=nominations[0], juror__in=jurors[:2]).exists()
    loads = Counter(Assignment.objects.values_list("juror_id", flat=True))
    assert max(loads.values()) - min(loads.values()) <= 1
    assert result.short == []
    assert assigned_nominations(jurors[2], cycle).count() == loads[jurors[2].pk]


def test_assignment_short_of_free_jurors_is_reported(cycle, staff):
    juror = JuryMembershipFactory(cycle=cycle).user
    nomination = SubmittedNominationFactory(cycle=cycle)
    result = services.assignments_balance(cycle=cycle, per_nomination=3, by=staff)
    assert result.short == [nomination.pk]
    assert list(Assignment.objects.values_list("juror_id", flat=True)) == [juror.pk]


def test_assignment_keeps_started_reviews(cycle, staff):
    jurors = [JuryMembershipFactory(cycle=cycle).user for _ in range(3)]
    nomination = SubmittedNominationFactory(cycle=cycle)
    review_with_scores(jurors[2], nomination, [3, None], submitted=False)
    services.assignments_balance(cycle=cycle, per_nomination=1, by=staff)
    assert list(Assignment.objects.values_list("juror_id", flat=True)) == [jurors[2].pk]


def test_manage_page_assignment_form_errors_next_to_field(client, otp_login, cycle, staff):
    otp_login(client, staff)
    url = reverse("awards:jury_manage", args=[cycle.year])
    response = client.post(url, {"form": "assign", "mode": "selected"})
    assert response.status_code == 200
    assert "Give the number of jurors per nomination." in response.content.decode()
    JuryMembershipFactory(cycle=cycle)
    SubmittedNominationFactory(cycle=cycle)
    response = client.post(url, {"form": "assign", "mode": "selected", "per_nomination": 1})
    assert response.status_code == 302
    assert Assignment.objects.count() == 1
    client.post(url, {"form": "assign", "mode": "all"})
    cycle.refresh_from_db()
    assert cycle.jury_assignment == "all"
    assert not Assignment.objects.exists()


def test_reminders_count_what_is_left_and_name_nothing(client, otp_login, cycle, staff):
    busy = JuryMembershipFactory(cycle=cycle).user
    done = JuryMembershipFactory(cycle=cycle).user
    conflicted = JuryMembershipFactory(cycle=cycle, role=JuryMembership.Role.CHAIR).user
    n1, n2, n3 = (SubmittedNominationFactory(cycle=cycle, name=f"Salainen nimi {i}") for i in range(3))
    for nomination in (n1, n2, n3):
        review_with_scores(done, nomination, [3, 3])
    review_with_scores(busy, n1, [3, 3])
    review_with_scores(busy, n2, [3, None], submitted=False)
    MembershipFactory(user=conflicted, organisation=n3.organisation, can_nominate=False)
    otp_login(client, staff)
    response = client.post(reverse("awards:jury_manage", args=[cycle.year]), {"form": "remind"})
    assert response.status_code == 302
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {busy.email, conflicted.email}
    assert "2 ehdotusta arvioimatta" in by_recipient[busy.email].body  # in the juror's language, Finnish
    assert "2 ehdotusta arvioimatta" in by_recipient[conflicted.email].body  # n3 is not theirs to review
    assert all("Salainen nimi" not in m.body and "Salainen nimi" not in m.subject for m in mail.outbox)
    assert AuditEvent.objects.filter(action="jury.reminders_sent", actor=staff).exists()


def test_staff_add_and_lift_conflict_with_reason(client, otp_login, cycle, staff):
    juror = JuryMembershipFactory(cycle=cycle).user
    nomination = SubmittedNominationFactory(cycle=cycle)
    review_with_scores(juror, nomination, [5, 5])
    otp_login(client, staff)
    url = reverse("awards:jury_manage", args=[cycle.year])
    response = client.post(
        url, {"form": "conflict_add", "juror": juror.pk, "nomination": nomination.pk, "reason": "Sukulainen tiimissä."}
    )
    assert response.status_code == 302
    conflict = ConflictOfInterest.objects.get()
    assert (conflict.source, conflict.created_by) == ("staff", staff)
    assert juror.reviews.get().state == "draft"  # no longer counts
    assert not assigned_nominations(juror, cycle).exists()
    response = client.post(url, {"form": "conflict_lift", "conflict": conflict.pk, "lift_reason": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode() or "Tämä kenttä" in response.content.decode()
    client.post(url, {"form": "conflict_lift", "conflict": conflict.pk, "lift_reason": "Ilmoitettu erehdyksessä."})
    conflict.refresh_from_db()
    assert (conflict.lifted_by, conflict.lift_reason) == (staff, "Ilmoitettu erehdyksessä.")
    assert AuditEvent.objects.filter(action="conflict.lifted", data__reason="Ilmoitettu erehdyksessä.").exists()
    assert assigned_nominations(juror, cycle).exists()


def test_manage_page_close_and_reopen(client, otp_login, cycle, staff):
    otp_login(client, staff)
    url = reverse("awards:jury_manage", args=[cycle.year])
    client.post(reverse("awards:jury_close", args=[cycle.year]), {"form": "close"})
    cycle.refresh_from_db()
    assert cycle.jury_closed_at is not None
    assert "Closed on" in client.get(url).content.decode()
    response = client.post(url, {"form": "reopen", "reason": ""})
    assert response.status_code == 200
    client.post(url, {"form": "reopen", "reason": "Jatkoaika."})
    cycle.refresh_from_db()
    assert cycle.jury_closed_at is None
    assert AuditEvent.objects.filter(action="jury.closed").count() == 1


def test_export_csv_and_xlsx_are_formula_safe(client, otp_login, cycle, staff):
    juror = JuryMembershipFactory(cycle=cycle).user
    nomination = SubmittedNominationFactory(cycle=cycle, name='=HYPERLINK("http://x")')
    review = review_with_scores(juror, nomination, [4, 2], comments={0: "+SUM(A1:A2)"})
    review.overall_comment = "@kaikki hyvä"
    review.save()
    otp_login(client, staff)
    response = client.get(reverse("awards:jury_export_csv", args=[cycle.year]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3  # header and one row per criterion
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert rows[1][10:13] == ["4", "'+SUM(A1:A2)", "'@kaikki hyvä"]
    response = client.get(reverse("awards:jury_export_xlsx", args=[cycle.year]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][1] == '\'=HYPERLINK("http://x")'
    assert values[1][10] == 4
    assert values[2][10] == 2


@pytest.mark.parametrize("count", [1, 10])
def test_worklist_query_count_constant(client, otp_login, django_assert_num_queries, cycle, count):
    juror = JuryMembershipFactory(cycle=cycle).user
    for i in range(count):
        nomination = SubmittedNominationFactory(cycle=cycle)
        if i % 2:
            review_with_scores(juror, nomination, [3, 3], submitted=i % 3 == 0)
    otp_login(client, juror)
    url = reverse("awards:jury_worklist", args=[cycle.year])
    client.get(url)
    with django_assert_num_queries(11):  # + the menu's roles, the chair's links
        response = client.get(url)
    assert len(response.context["nominations"]) == count


@pytest.mark.parametrize("count", [1, 10])
def test_ranking_page_query_count_constant(client, otp_login, django_assert_num_queries, cycle, count):
    cycle.chair_scores = False  # the ranking is open to a chair who does not score
    cycle.save()
    chair = JuryMembershipFactory(cycle=cycle, role=JuryMembership.Role.CHAIR).user
    jurors = [JuryMembershipFactory(cycle=cycle).user for _ in range(3)]
    for i in range(count):
        nomination = SubmittedNominationFactory(cycle=cycle)
        for j, juror in enumerate(jurors):
            review_with_scores(juror, nomination, [1 + (i + j) % 5, 1 + (i * j) % 5])
    otp_login(client, chair)
    url = reverse("awards:jury_ranking", args=[cycle.year])
    client.get(url)
    # 13 for the jury's ranking (among them its criteria, the visible nominations, their conflicted reviews, the
    # ranking's statement), 2 for the experts-by-experience panel's own column (its questions, its answers), 2 of
    # blind scoring (whether the chair's ranking is open, recording that the scores were shown), the menu's roles
    # and the decision link.
    with django_assert_num_queries(19):
        response = client.get(url)
    assert len(response.context["ranking"].rows) == count
