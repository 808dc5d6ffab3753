"""Consent decides every public surface of a practice description's text.

A practice created by a nomination takes its description from the nomination at submission. The winner's
practice is public with the result, but its text only with the nominator's consent: the matrix below walks every
public surface (library list, search and snippets, the practice page and its Open Graph tags, place pages, the
API, the feed, the sitemap, the year page and the archive, the nominator's practice search) for consent given,
refused, and withdrawn after publication, which removes the text everywhere at once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardCycle, DecisionEntry
from awards.selectors.publication import public_practices
from awards.services import nominations as services
from practices.models import Municipality
from tests.factories import (
    DecisionEntryFactory,
    DecisionFactory,
    OrganisationFactory,
    complete_draft,
    nominator_for,
    open_cycle_with_criteria,
)

pytestmark = pytest.mark.django_db

SECRET = "Salaisuussana"
SECRET_IDEA = "Kumpulavaaran menetelmä"
NAME = "Näkyvä Nimimalli"


def publish_winner(*, consent: bool):
    cycle = open_cycle_with_criteria()
    organisation = OrganisationFactory(municipalities=list(Municipality.objects.filter(code="153")))
    by = nominator_for(organisation)
    draft = complete_draft(
        cycle=cycle,
        organisation=organisation,
        by=by,
        name=NAME,
        summary=f"{SECRET} kertoo mallin ytimen.",
        basic_idea=SECRET_IDEA,
        funder="Salainen rahoittaja",
        consent_to_publish=consent,
    )
    nomination = services.nomination_submit(nomination=draft, by=by).nomination
    AwardCycle.objects.filter(pk=cycle.pk).update(
        state=AwardCycle.State.PUBLISHED, results_published_at=timezone.now() - timedelta(hours=1)
    )
    DecisionEntryFactory(
        decision=DecisionFactory(cycle=cycle), nomination=nomination, result=DecisionEntry.Result.WINNER
    )
    return nomination, by


@pytest.fixture(params=["given", "refused", "withdrawn"])
def case(request):
    nomination, by = publish_winner(consent=request.param != "refused")
    if request.param == "withdrawn":
        services.nomination_set_consent(nomination=nomination, consent=False, by=by)
    return request.param, nomination


def surfaces(nomination) -> dict[str, str]:
    practice = nomination.practice
    municipality = Municipality.objects.select_related("region", "county").get(code="153")
    return {
        "library": reverse("library:library"),
        "search_text": reverse("library:library") + f"?q={SECRET}",
        "search_name": reverse("library:library") + "?q=Nimimalli",
        "practice_page": reverse("library:practice_detail", args=[practice.slug]),
        "municipality": reverse("library:municipality_detail", args=["153"]),
        "county": reverse("library:county_detail", args=[municipality.county_id]),
        "region": reverse("library:region_detail", args=[municipality.region_id]),
        "api_list": reverse("api:practice-list"),
        "api_search": reverse("api:practice-list") + f"?q={SECRET}",
        "api_detail": reverse("api:practice-detail", args=[practice.slug]),
        "year": reverse("awards:year", args=[nomination.cycle.year]),
        "archive": reverse("awards:archive"),
        "feed": reverse("awards:feed"),
        "sitemap": reverse("sitemap"),
    }


def test_consent_matrix_on_every_public_surface(client, case):
    kind, nomination = case
    shown = kind == "given"
    for surface, url in surfaces(nomination).items():
        response = client.get(url)
        assert response.status_code == 200, (surface, url)
        body = response.content.decode()
        # The search pages repeat the query itself; what they found is checked below.
        texts = (
            (SECRET_IDEA, "Salainen rahoittaja")
            if surface.endswith("search_text") or surface == "api_search"
            else (
                SECRET,
                SECRET_IDEA,
                "Salainen rahoittaja",
            )
        )
        for text in texts:
            if surface in {"practice_page", "api_detail"} and shown:
                assert text in body, (kind, surface, text)
            elif not shown:
                assert text not in body, (kind, surface, text)
    # The name is public with the result whatever the consent; the text is searched only with consent.
    assert NAME in client.get(surfaces(nomination)["search_name"]).content.decode()
    found_by_text = client.get(surfaces(nomination)["search_text"]).content.decode()
    assert (NAME in found_by_text) is shown
    assert ("<mark>" in found_by_text) is shown  # the snippet, highlighted
    api_hits = client.get(surfaces(nomination)["api_search"]).json()["count"]
    assert api_hits == (1 if shown else 0)
    detail = client.get(surfaces(nomination)["api_detail"]).json()
    assert detail["description_public"] is shown
    assert detail["name"] == NAME


def test_practice_page_says_why_the_description_is_missing_and_og_falls_back_to_the_name(client):
    nomination, _by = publish_winner(consent=False)
    body = client.get(reverse("library:practice_detail", args=[nomination.practice.slug])).content.decode()
    assert "has not consented to publishing the description" in body
    assert f'<meta property="og:description" content="{NAME}">' in body


def test_withdrawing_consent_removes_the_text_at_once(client):
    nomination, by = publish_winner(consent=True)
    url = reverse("library:practice_detail", args=[nomination.practice.slug])
    assert SECRET in client.get(url).content.decode()
    client.force_login(by)
    response = client.post(reverse("awards:nomination_consent", args=[nomination.pk]), {"consent": "0"})
    assert response.status_code == 302
    client.logout()
    assert SECRET not in client.get(url).content.decode()
    assert not public_practices().get(pk=nomination.practice_id).description_public
    # And it can be given again.
    services.nomination_set_consent(nomination=nomination, consent=True, by=by)
    assert SECRET in client.get(url).content.decode()


def test_another_nominator_never_reads_or_copies_a_withheld_description(client):
    nomination, _by = publish_winner(consent=False)
    cycle = open_cycle_with_criteria()
    other_org = OrganisationFactory()
    other = nominator_for(other_org)
    client.force_login(other)
    start = reverse("awards:nomination_start")
    by_text = client.get(start, {"q": SECRET}).content.decode()
    assert NAME not in by_text
    by_name = client.get(start, {"q": "Nimimalli"}).content.decode()
    assert NAME in by_name
    assert SECRET not in by_name
    copy = services.nomination_start(cycle=cycle, organisation=other_org, practice=nomination.practice, by=other)
    assert copy.name == NAME
    assert copy.summary == ""
    assert copy.basic_idea == ""


def test_staff_marking_the_practice_public_does_not_override_a_refusal(client):
    nomination, _by = publish_winner(consent=False)
    nomination.practice.is_public = True
    nomination.practice.save()
    assert (
        SECRET not in client.get(reverse("library:practice_detail", args=[nomination.practice.slug])).content.decode()
    )


def test_nominator_changes_consent_only_of_their_own_nominations(client):
    nomination, _by = publish_winner(consent=True)
    stranger = nominator_for(OrganisationFactory())
    client.force_login(stranger)
    response = client.post(reverse("awards:nomination_consent", args=[nomination.pk]), {"consent": "0"})
    assert response.status_code == 404
    nomination.refresh_from_db()
    assert nomination.consent_to_publish
