"""Scoring: drafts and submission through the page, database constraints, two tabs and real races, the jury
period closing and staff reopening it, and the audit trail of every change."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from awards.models import AwardCycle, Review, Score
from awards.services import jury as services
from awards.services.jury import ScoreInput
from tests.factories import JuryMembershipFactory, UserFactory
from tests.factories.jury import ReviewFactory, ScoringCycleFactory, SubmittedNominationFactory, criteria_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    cycle = ScoringCycleFactory()
    criteria = criteria_for(cycle, weights=(2, 1))
    juror = JuryMembershipFactory(cycle=cycle).user
    nomination = SubmittedNominationFactory(cycle=cycle)
    return cycle, criteria, juror, nomination


def post_data(criteria, values, *, version=0, action="save", **extra):
    data = {"version": version, action: "1"}
    for criterion, value in zip(criteria, values, strict=True):
        if value is not None:
            data[f"score_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = f"Perustelu {criterion.pk}"
    data.update(extra)
    return data


def url(cycle, nomination, name="jury_review"):
    return reverse(f"awards:{name}", args=[cycle.year, nomination.pk])


def test_review_draft_then_submit_through_page(client, otp_login, setup):
    cycle, criteria, juror, nomination = setup
    otp_login(client, juror)
    response = client.post(url(cycle, nomination), post_data(criteria, [4, None], overall_comment="Hyvä malli."))
    assert response.status_code == 302
    review = Review.objects.get(juror=juror, nomination=nomination)
    assert (review.state, review.version, review.overall_comment) == ("draft", 1, "Hyvä malli.")
    assert [s.value for s in review.scores.order_by("criterion__order")] == [4, None]
    # Submitting an incomplete review is refused next to the missing criterion, and what was typed stays.
    response = client.post(url(cycle, nomination), post_data(criteria, [4, None], version=1, action="submit"))
    assert response.status_code == 200
    assert "Score this criterion before submitting" in response.content.decode()
    assert f"Perustelu {criteria[0].pk}" in response.content.decode()
    response = client.post(url(cycle, nomination), post_data(criteria, [4, 2], version=1, action="submit"))
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.state, review.version) == ("submitted", 2)
    assert review.first_submitted_at is not None
    worklist = client.get(reverse("awards:jury_worklist", args=[cycle.year])).content.decode()
    assert "submitted" in worklist or "lähetetty" in worklist


def test_review_abstain_needs_reason(client, otp_login, setup):
    cycle, criteria, juror, nomination = setup
    otp_login(client, juror)
    response = client.post(url(cycle, nomination), post_data(criteria, [None, None], action="submit", abstain="on"))
    assert "Tell briefly why you abstain" in response.content.decode()
    assert not Review.objects.filter(juror=juror).exists()
    response = client.post(
        url(cycle, nomination),
        post_data(criteria, [None, None], action="submit", abstain="on", abstain_reason="Tunnen tiimin."),
    )
    assert response.status_code == 302
    review = Review.objects.get(juror=juror)
    assert (review.state, review.abstain, review.abstain_reason) == ("submitted", True, "Tunnen tiimin.")


def test_review_score_outside_scale_refused_by_form_and_service(client, otp_login, setup):
    cycle, criteria, juror, nomination = setup
    otp_login(client, juror)
    response = client.post(url(cycle, nomination), post_data(criteria, [9, 1]))
    assert response.status_code == 200
    assert not Review.objects.exists()
    with pytest.raises(ValidationError) as excinfo:
        services.review_save(juror=juror, nomination=nomination, version=0, scores={criteria[0].pk: ScoreInput(0)})
    assert f"score_{criteria[0].pk}" in excinfo.value.error_dict


def test_score_constraints_enforced_by_database(setup):
    _cycle, criteria, juror, nomination = setup
    review = ReviewFactory(juror=juror, nomination=nomination)
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(review=review, criterion=criteria[0], value=6, scale_min=1, scale_max=5)
    Score.objects.create(review=review, criterion=criteria[0], value=5, scale_min=1, scale_max=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(review=review, criterion=criteria[0], value=3, scale_min=1, scale_max=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(juror=juror, nomination=nomination)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(abstain=True, abstain_reason="")


def test_review_second_tab_with_old_version_is_refused_and_shows_both(client, otp_login, setup):
    cycle, criteria, juror, nomination = setup
    otp_login(client, juror)
    client.post(url(cycle, nomination), post_data(criteria, [5, 5], overall_comment="Ensimmäinen välilehti"))
    # The second tab was opened before the first saved: its version is 0.
    response = client.post(url(cycle, nomination), post_data(criteria, [1, 1], overall_comment="Toinen välilehti"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "saved in another window" in body
    assert "Toinen välilehti" in body  # what this tab typed is kept in the form
    assert "Ensimmäinen välilehti" in body  # and the saved version is shown beside it
    review = Review.objects.get()
    assert review.overall_comment == "Ensimmäinen välilehti"
    assert [s.value for s in review.scores.order_by("criterion__order")] == [5, 5]
    # The form now carries the current version, so saving again keeps this tab's text deliberately.
    assert response.context["form"]["version"].value() == "1"


@pytest.mark.django_db(transaction=True)
def test_review_concurrent_first_saves_make_one_review_and_refuse_the_other(setup):
    _cycle, criteria, juror, nomination = setup
    barrier = threading.Barrier(2)
    outcomes = []

    def save(value):
        try:
            barrier.wait()
            services.review_save(
                juror=juror,
                nomination=nomination,
                version=0,
                scores={c.pk: ScoreInput(value) for c in criteria},
            )
            outcomes.append(("saved", value))
        except services.StaleReview:
            outcomes.append(("stale", value))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(v,)) for v in (2, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o[0] for o in outcomes) == ["saved", "stale"]
    saved_value = next(v for kind, v in outcomes if kind == "saved")
    review = Review.objects.get()
    assert review.version == 1
    assert sorted(review.scores.values_list("value", flat=True)) == [saved_value, saved_value]


@pytest.mark.django_db(transaction=True)
def test_review_save_racing_period_close_never_lands_after_close(setup):
    cycle, criteria, juror, nomination = setup
    staff = UserFactory(is_staff=True)
    barrier = threading.Barrier(2)
    results = {}

    def save():
        try:
            barrier.wait()
            services.review_save(
                juror=juror, nomination=nomination, version=0, scores={c.pk: ScoreInput(3) for c in criteria}
            )
            results["save"] = "saved"
        except ValidationError:
            results["save"] = "refused"
        finally:
            connection.close()

    def close():
        try:
            barrier.wait()
            services.jury_period_close(cycle=cycle, by=staff)
        finally:
            connection.close()

    threads = [threading.Thread(target=save), threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cycle.refresh_from_db()
    assert cycle.jury_closed_at is not None
    review = Review.objects.filter(juror=juror).first()
    if results["save"] == "saved":
        assert review.updated_at <= cycle.jury_closed_at
    else:
        assert review is None


def test_review_reopen_and_resubmit_while_open(client, otp_login, setup):
    cycle, criteria, juror, nomination = setup
    otp_login(client, juror)
    client.post(url(cycle, nomination), post_data(criteria, [3, 3], action="submit"))
    response = client.post(url(cycle, nomination, "jury_review_reopen"))
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.state, review.submitted_at) == ("draft", None)
    assert review.first_submitted_at is not None
    client.post(url(cycle, nomination), post_data(criteria, [4, 3], version=review.version, action="submit"))
    review.refresh_from_db()
    assert review.state == "submitted"
    assert [s.value for s in review.scores.order_by("criterion__order")] == [4, 3]


def test_jury_period_closed_freezes_reviews_until_staff_reopen(client, otp_login, setup):
    cycle, criteria, juror, nomination = setup
    staff = UserFactory(is_staff=True)
    otp_login(client, juror)
    client.post(url(cycle, nomination), post_data(criteria, [3, 3], action="submit"))
    services.jury_period_close(cycle=cycle, by=staff)
    # Neither a reopen nor a save goes through, and the page says why.
    client.post(url(cycle, nomination, "jury_review_reopen"))
    assert Review.objects.get().state == "submitted"
    page = client.get(url(cycle, nomination)).content.decode()
    assert "The jury period is closed" in page
    assert "Reopen to change it" not in page
    with pytest.raises(ValidationError):
        services.review_save(juror=juror, nomination=nomination, version=1, scores={}, submit=False)
    # Staff reopen with a reason; the reason and the old state are in the audit log.
    with pytest.raises(ValidationError):
        services.jury_period_reopen(cycle=cycle, by=staff, reason="")
    services.jury_period_reopen(cycle=cycle, by=staff, reason="Yksi juryn jäsen oli sairaana.")
    cycle.refresh_from_db()
    assert cycle.is_jury_open()
    event = AuditEvent.objects.get(action="jury.reopened")
    assert event.data["reason"] == "Yksi juryn jäsen oli sairaana."
    assert event.data["old"]["closed_at"] is not None
    client.post(url(cycle, nomination, "jury_review_reopen"))
    assert Review.objects.get().state == "draft"


def test_jury_period_deadline_passed_needs_new_closing_time(setup):
    cycle, criteria, juror, nomination = setup
    AwardCycle.objects.filter(pk=cycle.pk).update(jury_closes_at=timezone.now() - timedelta(minutes=1))
    cycle.refresh_from_db()
    assert not cycle.is_jury_open()
    with pytest.raises(ValidationError):
        services.review_save(juror=juror, nomination=nomination, version=0, scores={})
    staff = UserFactory(is_staff=True)
    with pytest.raises(ValidationError) as excinfo:
        services.jury_period_reopen(cycle=cycle, by=staff, reason="Lisäaikaa.")
    assert "closes_at" in excinfo.value.error_dict
    services.jury_period_reopen(
        cycle=cycle, by=staff, reason="Lisäaikaa.", closes_at=timezone.now() + timedelta(days=2)
    )
    services.review_save(juror=juror, nomination=nomination, version=0, scores={c.pk: ScoreInput(2) for c in criteria})
    assert Review.objects.filter(juror=juror).exists()


def test_review_changes_and_submission_are_audited_with_old_and_new(setup):
    _cycle, criteria, juror, nomination = setup
    c1, c2 = criteria
    review = services.review_save(
        juror=juror, nomination=nomination, version=0, scores={c1.pk: ScoreInput(2, "Alku"), c2.pk: ScoreInput(3)}
    )
    services.review_save(
        juror=juror,
        nomination=nomination,
        version=review.version,
        scores={c1.pk: ScoreInput(4, "Alku"), c2.pk: ScoreInput(3)},
        submit=True,
    )
    changes = AuditEvent.objects.filter(action="review.score_changed", data__criterion=c1.pk).order_by("id")
    assert [(e.data["old_value"], e.data["new_value"]) for e in changes] == [(None, 2), (2, 4)]
    assert all(e.actor == juror for e in changes)
    # c2 did not change on the second save: no second entry.
    assert AuditEvent.objects.filter(action="review.score_changed", data__criterion=c2.pk).count() == 1
    submitted = AuditEvent.objects.get(action="review.submitted")
    assert submitted.data["scores"] == {str(c1.pk): 4, str(c2.pk): 3}


def test_review_autosave_returns_new_version_and_never_submits(client, otp_login, setup):
    cycle, criteria, juror, nomination = setup
    otp_login(client, juror)
    response = client.post(url(cycle, nomination), post_data(criteria, [4, 5], action="submit"), HTTP_X_AUTOSAVE="1")
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert "Draft saved" in response.json()["message"]
    review = Review.objects.get()
    assert review.state == "draft"
    # An autosave from an older version is refused with 409 and changes nothing.
    response = client.post(url(cycle, nomination), post_data(criteria, [1, 1]), HTTP_X_AUTOSAVE="1")
    assert response.status_code == 409
    assert response.json()["stale"] is True
    assert sorted(Review.objects.get().scores.values_list("value", flat=True)) == [4, 5]
    # Invalid input (abstaining without a reason) is not saved automatically either.
    response = client.post(
        url(cycle, nomination), post_data(criteria, [4, 5], version=1, abstain="on"), HTTP_X_AUTOSAVE="1"
    )
    assert response.status_code == 400
    assert "why you abstain" in response.json()["message"]
    assert Review.objects.get().version == 1


def test_conflict_declaration_after_close_goes_through_staff(setup):
    cycle, criteria, juror, nomination = setup
    staff = UserFactory(is_staff=True)
    services.review_save(
        juror=juror, nomination=nomination, version=0, scores={c.pk: ScoreInput(3) for c in criteria}, submit=True
    )
    services.jury_period_close(cycle=cycle, by=staff)
    with pytest.raises(ValidationError):
        services.conflict_declare(juror=juror, nomination=nomination, reason="Sukulainen.")
    assert Review.objects.get().state == "submitted"
    with pytest.raises(ValidationError):
        services.jury_send_reminders(cycle=cycle, by=staff)
    services.conflict_add(by=staff, juror=juror, nomination=nomination, reason="Sukulainen.")
    assert Review.objects.get().state == "draft"
    assert AuditEvent.objects.filter(action="review.voided_by_conflict", actor=staff).exists()
