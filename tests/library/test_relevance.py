"""The relevance test set: every query finds the practices it must in its first five results."""

import pytest

from tests.library import relevance

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def relevance_practices(django_db_setup, django_db_blocker):
    """The fixture's practices, created once for the module (and removed afterwards)."""
    from practices.models import Organisation, Practice  # noqa: PLC0415

    with django_db_blocker.unblock():
        created = relevance.load_practices()
    yield created
    with django_db_blocker.unblock():
        Practice.objects.filter(pk__in=created.values()).delete()
        Organisation.objects.filter(practices__isnull=True).delete()


@pytest.mark.parametrize("query", relevance.queries(), ids=lambda q: q.id)
def test_relevance_query_finds_expected_practices_in_top_five(relevance_practices, query):
    found, corrected = relevance.top_results(query.q)
    missing = [slug for slug in query.expect if slug not in found]
    assert not missing, f"{query.q!r} ({query.kind}) misses {missing}; top {relevance.TOP}: {found} {corrected}"


def test_relevance_set_covers_the_languages_and_kinds():
    queries = relevance.queries()
    by_language = {lang: [q for q in queries if q.lang == lang] for lang in ("fi", "sv", "en")}
    assert len(by_language["fi"]) >= 40
    assert len(by_language["sv"]) >= 10
    assert len(by_language["en"]) >= 5
    kinds = " ".join(q.kind for q in queries)
    for kind in ("compound", "inflection", "typo", "diacritics", "municipality", "Swedish name"):
        assert kind in kinds
