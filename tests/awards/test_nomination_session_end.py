"""A save that arrives after the session has ended is kept and applied after signing in again, through the same
checks as any save (rights, deadline, the version check), or refused with the text shown back; never dropped,
and never applied for another account."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from awards import drafts
from awards.models import AwardCycle, Nomination
from awards.services import nominations as services
from tests.factories import complete_draft, nominator_for

from .test_nomination_flow import edit_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return complete_draft()


def owner_post(nomination, user, **overrides):
    return {**edit_post(nomination, **overrides), "draft_owner": drafts.owner_token(user=user, nomination=nomination)}


def end_session(client):
    client.logout()  # the session is gone, as after 2 hours idle or a closed browser


def test_save_after_session_end_is_kept_and_applied_after_sign_in(client, draft):
    user = draft.created_by
    client.force_login(user)
    data = owner_post(draft, user, summary="Kirjoitettu istunnon päätyttyä.")
    end_session(client)
    url = reverse("awards:nomination_edit", args=[draft.pk])
    response = client.post(url, data)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "jatka%3D1" in response["Location"]
    draft.refresh_from_db()
    assert draft.summary == "Tiivis kuvaus."  # nothing written while nobody is signed in

    client.force_login(user)  # signing in keeps the anonymous session's data
    response = client.get(f"{url}?jatka=1", follow=True)
    draft.refresh_from_db()
    assert draft.summary == "Kirjoitettu istunnon päätyttyä."
    assert "Your changes from before the sign-in are saved." in response.content.decode()
    assert not drafts.has_kept(response.wsgi_request, draft.pk)


def test_kept_save_based_on_an_old_version_shows_both_and_saves_nothing(client, draft):
    user = draft.created_by
    colleague = nominator_for(draft.organisation)
    client.force_login(user)
    data = owner_post(draft, user, summary="Minun tekstini.")
    end_session(client)
    client.post(reverse("awards:nomination_edit", args=[draft.pk]), data)
    services.nomination_save(
        nomination=draft, by=colleague, expected_version=draft.version, data={"summary": "Kollegan teksti."}
    )
    client.force_login(user)
    response = client.get(reverse("awards:nomination_edit", args=[draft.pk]) + "?jatka=1")
    assert response.status_code == 409
    body = response.content.decode()
    assert "Minun tekstini." in body  # the typed text is shown back, in the form
    assert "Kollegan teksti." in body  # beside the saved version
    draft.refresh_from_db()
    assert draft.summary == "Kollegan teksti."


def test_kept_save_is_never_applied_for_another_account(client, draft):
    user = draft.created_by
    colleague = nominator_for(draft.organisation)
    client.force_login(user)
    data = owner_post(draft, user, summary="Ensimmäisen käyttäjän teksti.")
    end_session(client)
    client.post(reverse("awards:nomination_edit", args=[draft.pk]), data)
    client.force_login(colleague)  # someone else signs in at the same browser
    response = client.get(reverse("awards:nomination_edit", args=[draft.pk]) + "?jatka=1", follow=True)
    assert "was not applied" in response.content.decode()
    draft.refresh_from_db()
    assert draft.summary == "Tiivis kuvaus."
    assert not drafts.has_kept(response.wsgi_request, draft.pk)


def test_kept_save_after_the_deadline_is_refused_with_the_text_shown(client, draft):
    user = draft.created_by
    client.force_login(user)
    data = owner_post(draft, user, summary="Liian myöhään.")
    end_session(client)
    client.post(reverse("awards:nomination_edit", args=[draft.pk]), data)
    AwardCycle.objects.filter(pk=draft.cycle_id).update(nominations_close_at=timezone.now() - timedelta(minutes=1))
    client.force_login(user)
    response = client.get(reverse("awards:nomination_edit", args=[draft.pk]) + "?jatka=1")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Liian myöhään." in body
    assert "it was not saved" in body
    draft.refresh_from_db()
    assert draft.summary == "Tiivis kuvaus."


def test_a_forged_or_tokenless_post_is_not_kept(client, draft):
    data = edit_post(draft, summary="Ei omistajaa.")
    response = client.post(reverse("awards:nomination_edit", args=[draft.pk]), data)
    assert "/accounts/login/" in response["Location"]
    assert not drafts.has_kept(response.wsgi_request, draft.pk)


def test_autosave_saves_the_draft_and_refuses_a_stale_one(client, draft):
    user = draft.created_by
    client.force_login(user)
    url = reverse("awards:nomination_edit", args=[draft.pk])
    response = client.post(url, edit_post(draft, summary="Automaattisesti."), headers={"X-Autosave": "1"})
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.summary == "Automaattisesti."
    assert response.json()["version"] == draft.version
    assert draft.state == Nomination.State.DRAFT
    stale = edit_post(draft, summary="Vanhasta versiosta.")
    stale["version"] = str(draft.version - 1)
    response = client.post(url, stale, headers={"X-Autosave": "1"})
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.summary == "Automaattisesti."


def test_autosave_after_session_end_is_kept_and_says_so(client, draft):
    user = draft.created_by
    client.force_login(user)
    data = owner_post(draft, user, summary="Automaattinen, istunto päättynyt.")
    end_session(client)
    response = client.post(reverse("awards:nomination_edit", args=[draft.pk]), data, headers={"X-Autosave": "1"})
    assert response.status_code == 403
    body = response.json()
    assert body["signed_out"] is True
    assert body["kept"] is True
    assert "jatka%3D1" in body["login_url"]


def test_session_status_answers_and_renews(client, draft):
    assert client.get(reverse("accounts:session_status")).status_code == 403
    client.force_login(draft.created_by)
    response = client.get(reverse("accounts:session_status"))
    assert response.json()["signed_in"] is True
