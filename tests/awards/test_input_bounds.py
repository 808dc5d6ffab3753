"""Bounds on what people type: the jury's comments have a length limit, names refuse text-direction control
characters, and a form whose hidden version is missing or garbled says so instead of "someone else saved this"."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent
from awards.models import Nomination, Review
from awards.services import jury as jury_services
from awards.services.jury import OVERALL_COMMENT_MAX, ScoreInput
from tests.factories import JuryMembershipFactory, OrganisationFactory, complete_draft, nominator_for
from tests.factories.jury import ScoringCycleFactory, SubmittedNominationFactory, criteria_for

pytestmark = pytest.mark.django_db

RLO = "\u202e"


@pytest.fixture
def scoring():
    cycle = ScoringCycleFactory()
    criteria = criteria_for(cycle)
    nomination = SubmittedNominationFactory(cycle=cycle)
    juror = JuryMembershipFactory(cycle=cycle).user
    return cycle, criteria, nomination, juror


def test_a_megabyte_overall_comment_is_refused_and_nothing_saved_or_audited(client, otp_login, scoring):
    cycle, criteria, nomination, juror = scoring
    otp_login(client, juror)
    huge = "a" * 1_000_000
    response = client.post(
        reverse("awards:jury_review", args=[cycle.year, nomination.pk]),
        {"version": 0, "overall_comment": huge, f"score_{criteria[0].pk}": 3, "save": "1"},
    )
    assert response.status_code == 200
    assert "at most 5000 characters" in response.content.decode().replace("5,000", "5000")
    assert not Review.objects.filter(juror=juror).exists()
    assert not AuditEvent.objects.filter(action__startswith="review.").exists()


def test_the_service_refuses_an_overlong_comment_too(scoring):
    _cycle, criteria, nomination, juror = scoring
    with pytest.raises(ValidationError) as refused:
        jury_services.review_save(
            juror=juror,
            nomination=nomination,
            version=0,
            scores={criteria[0].pk: ScoreInput(value=3, comment="x" * 3000)},
            overall_comment="y" * (OVERALL_COMMENT_MAX + 1),
        )
    assert {"overall_comment", f"comment_{criteria[0].pk}"} <= set(refused.value.error_dict)


def test_right_to_left_override_in_a_name_is_refused(client):
    user = nominator_for(OrganisationFactory())
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"first_name": f"Maija{RLO}gpj.exe", "last_name": "Meikäläinen", "preferred_language": "en"},
    )
    assert response.status_code == 200
    assert "text-direction control characters" in response.content.decode()
    user.refresh_from_db()
    assert RLO not in user.first_name


def test_right_to_left_override_in_a_practice_name_is_refused_and_the_rest_saved(client):
    draft = complete_draft()
    client.force_login(draft.created_by)
    response = client.post(
        reverse("awards:nomination_edit", args=[draft.pk]),
        {"version": draft.version, "name": f"Malli{RLO}fdp.exe", "summary": "Uusi tiivistelmä."},
    )
    assert response.status_code == 400
    assert "text-direction control characters" in response.content.decode()
    draft.refresh_from_db()
    assert RLO not in draft.name
    assert draft.summary == "Uusi tiivistelmä."


@pytest.mark.parametrize("version", [None, "", "abc", "-5"])
def test_nomination_form_with_a_missing_or_garbled_version_says_so(client, version):
    draft = complete_draft()
    client.force_login(draft.created_by)
    data = {"name": draft.name, "summary": "Kirjoitettu teksti."}
    if version is not None:
        data["version"] = version
    response = client.post(reverse("awards:nomination_edit", args=[draft.pk]), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "A hidden part of the form was missing or damaged" in body
    assert "Someone else saved" not in body
    assert "Kirjoitettu teksti." in body  # what was typed is still in the form
    assert Nomination.objects.get(pk=draft.pk).version == draft.version


def test_review_form_with_a_garbled_version_says_so(client, otp_login, scoring):
    cycle, criteria, nomination, juror = scoring
    otp_login(client, juror)
    response = client.post(
        reverse("awards:jury_review", args=[cycle.year, nomination.pk]),
        {"version": "x", f"score_{criteria[0].pk}": 3, "save": "1"},
    )
    assert "A hidden part of the form was missing or damaged" in response.content.decode()
    assert not Review.objects.exists()
