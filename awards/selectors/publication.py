"""Reads of the public results: what the public may see of nominations and practices (decided here, once), each
year's page, the archive, and what publication still needs.

Every public page, search, feed, sitemap and API of the service starts from public_nominations and public_practices.
Whether the text of a practice's description is public is decided here too, once (description_public_condition):
every surface (library pages and cards, search and its snippets, the API, Open Graph, exports) reads the
`description_public` flag that public_practices puts on each practice, or the expressions built on it below.
For speed over thousands of practices, the part of the rule that reads the nominations is stored on each practice
(publicity_columns, written by awards.services.publication.practices_publicity_refresh on every change it reads);
live_listed_condition and live_description_public_condition compute the same from the nominations themselves.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchVectorExact, SearchVectorField
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrganisationMembership, User
from awards.models import (
    Announcement,
    AnnouncementImage,
    AwardCycle,
    Decision,
    DecisionEntry,
    Nomination,
    NotificationLog,
)
from practices.models import Practice

from .decisions import out_of_competition, out_of_competition_problems
from .safeguard import held_by_safeguard_q

# The outcome of a public nomination without a result in the decision.
NOMINEE = "nominee"


def shown_when_published(queryset: QuerySet) -> QuerySet:
    """The nominations of `queryset` that the public sees once their cycle's results are public: those with a
    result in the confirmed decision (winner, honourable mention, finalist), and, where the cycle names all
    nominees, every submitted nomination whose nominator consented to publication. Never one whose possible
    personal data staff have not cleared. The staff preview of a year's page applies this same rule before
    publication."""
    with_result = DecisionEntry.objects.filter(nomination_id=OuterRef("pk"), decision__state="confirmed")
    return (
        queryset.filter(state=Nomination.State.SUBMITTED)
        .filter(Exists(with_result) | Q(cycle__list_all_nominees=True, consent_to_publish=True))
        .exclude(held_by_safeguard_q())
    )


def public_nominations(at=None) -> QuerySet:
    """Nominations the public may see: shown_when_published, in cycles whose results are public at `at`."""
    cycles = AwardCycle.objects.results_public(at).values("pk")
    return shown_when_published(Nomination.objects.filter(cycle_id__in=cycles))


# The text of a practice's description, public only with the nominator's consent. The name, the organisations,
# the places and the award history are public with the result; these fields are not.
DESCRIPTION_TEXT_FIELDS = (
    "summary",
    "basic_idea",
    "target_group_description",
    "operating_environment",
    "intended_changes",
    "achieved_changes",
    "evaluation",
    "resources",
    "adoption_conditions",
    "start_year",
    "funder",
    "innokyla_url",
)


def _shown_in_published_cycles() -> QuerySet:
    """Nominations shown_when_published in a published cycle, whether its publication moment has come or not:
    public_nominations(at) are those of them whose cycle's results_published_at is at most `at`."""
    return shown_when_published(
        Nomination.objects.filter(cycle__state=AwardCycle.State.PUBLISHED, cycle__results_published_at__isnull=False)
    )


def _first_publication(nominations: QuerySet) -> Subquery:
    """Over Practice: the earliest publication moment of the given nominations of the practice (None: none)."""
    return Subquery(
        nominations.filter(practice_id=OuterRef("pk"))
        .order_by("cycle__results_published_at")
        .values("cycle__results_published_at")[:1]
    )


def publicity_columns() -> dict:
    """The rule of who sees a practice and its text, as the values of the columns Practice stores for it
    (practices/models.py): what public_practices() and description_public_condition() read. Written by
    awards.services.publication.practices_publicity_refresh whenever something the rule reads changes.

    - listed_from: the first moment at which one of its nominations becomes public (public_nominations);
    - description_withheld: a nomination that created the practice took the text from a nominator who has not
      consented (or withdrew consent): the text is never public, whoever marked the practice public;
    - description_from: the first moment at which one of its public nominations that consented becomes public.
    Whether staff marked the practice public (is_public) is read from its own column beside these."""
    shown = _shown_in_published_cycles()
    return {
        "listed_from": _first_publication(shown),
        "description_withheld": Exists(
            Nomination.objects.filter(practice_id=OuterRef("pk"), practice_is_new=True, consent_to_publish=False)
        ),
        "description_from": _first_publication(shown.filter(consent_to_publish=True)),
    }


def listed_condition(at=None) -> Q:
    """Q over Practice: the public sees it at `at` (now by default): marked public by staff, or with a nomination
    the public may see (public_nominations), as stored by publicity_columns()."""
    return Q(is_public=True) | Q(listed_from__lte=at or timezone.now())


def description_public_condition(at=None) -> Q:
    """Q over Practice: the text of its description may be public. The one rule of consent.

    A practice created by a nomination took its text from that nomination at submission: while that nomination's
    nominator has not consented (or has withdrawn consent), the text is never public, whoever marked the practice
    public. Otherwise the text is public when staff marked the practice public (a description of their own, e.g.
    from Innokylä) or when a nomination the public may see consented to publication. Withdrawing consent changes the
    nomination's row, which rewrites the practice's stored columns (publicity_columns) in the same transaction, so
    every surface reading this drops the text at once."""
    return Q(description_withheld=False) & (Q(is_public=True) | Q(description_from__lte=at or timezone.now()))


def live_listed_condition(at=None) -> Q:
    """listed_condition() computed from the nominations themselves rather than the stored columns: what the stored
    columns must always agree with (the tests compare them over many states), and a reference for the reader."""
    return Q(is_public=True) | Q(pk__in=public_nominations(at).values("practice_id"))


def live_description_public_condition(at=None) -> Q:
    """description_public_condition() computed from the nominations themselves (see live_listed_condition)."""
    refused = Nomination.objects.filter(practice_id=OuterRef("pk"), practice_is_new=True, consent_to_publish=False)
    consented = public_nominations(at).filter(practice_id=OuterRef("pk"), consent_to_publish=True)
    return ~Exists(refused) & (Q(is_public=True) | Exists(consented))


def public_practices(at=None) -> QuerySet:
    """Practices the public may see: marked public by staff, or with a nomination the public may see
    (public_nominations). Every public page, search and API uses this. Each practice carries `description_public`
    (description_public_condition): where it is False, only the name and the facts around it may be shown."""
    at = at or timezone.now()
    return Practice.objects.filter(listed_condition(at)).annotate(
        description_public=ExpressionWrapper(description_public_condition(at), output_field=BooleanField())
    )


def withhold_descriptions(practices):
    """Blank, in memory, the description text of every practice whose `description_public` is not True (a practice
    read without the flag counts as withheld), so that no template or serializer can show it by mistake.
    Returns the practices, for chaining."""
    for practice in practices:
        if getattr(practice, "description_public", False) is not True:
            for field in DESCRIPTION_TEXT_FIELDS:
                setattr(practice, field, None if field == "start_year" else "")
    return practices


def public_text(field: str) -> Case:
    """An expression of a practice description's text field as the public may read it: empty where withheld.
    For the search's snippets; needs the `description_public` flag of public_practices."""
    return Case(When(description_public=True, then=F(field)), default=Value(""), output_field=CharField())


def public_search_vector(field: str = "search_vector") -> Case:
    """The practice's search vector as the public may search it: all of it where the description is public, only
    the name's lexemes and their analysis (weight A, see practices.models._search_vector) where it is withheld, so
    that a search never finds, ranks or counts a practice by text nobody may read. Needs the `description_public`
    flag of public_practices."""
    name_only = Func(F(field), function="ts_filter", template="%(function)s(%(expressions)s, '{a}')")
    return Case(
        When(description_public=True, then=F(field)),
        default=name_only,
        output_field=SearchVectorField(),
    )


def public_match(query, field: str = "search_vector") -> Q:
    """Q over public_practices(): the public may find the practice by `query` (a SearchQuery), the same as
    filtering public_search_vector(field) by it, written so that the index answers it: the stored vector matches
    (one GIN scan), and either the description is public or the name's lexemes alone match. A withheld text never
    finds a practice."""
    name_only = ExpressionWrapper(
        Func(F(field), function="ts_filter", template="%(function)s(%(expressions)s, '{a}')"),
        output_field=SearchVectorField(),
    )
    return Q(**{field: query}) & (Q(description_public=True) | Q(SearchVectorExact(name_only, query)))


def public_rank_vector() -> Case:
    """The same for the smaller vector the library ranks by (practices.models._rank_vector)."""
    return public_search_vector("rank_vector")


def public_nominations_with_outcome(at=None) -> QuerySet:
    """Public nominations, each annotated with `outcome`: its confirmed result, or "nominee"."""
    entry = DecisionEntry.objects.filter(nomination_id=OuterRef("pk"), decision__state=Decision.State.CONFIRMED)
    return public_nominations(at).annotate(
        outcome=Coalesce(Subquery(entry.order_by("order", "pk").values("result")[:1]), Value(NOMINEE))
    )


def confirmed_entries() -> QuerySet:
    return DecisionEntry.objects.filter(decision__state=Decision.State.CONFIRMED).select_related(
        "nomination__organisation", "nomination__practice"
    )


def year_page_context(cycle: AwardCycle) -> dict:
    """What the year's page shows: the announcement, the results with their citations, and the nominees.

    Used by the public page and by the staff preview alike, so the preview is exactly what the public will see."""
    entries = list(confirmed_entries().filter(decision__cycle=cycle).order_by("order", "pk"))
    announcement = getattr(cycle, "announcement", None)
    images = list(announcement.images.all()) if announcement else []
    nominees = []
    if cycle.list_all_nominees:
        results = {e.nomination_id: e for e in entries}
        for nomination in (
            shown_when_published(cycle.nominations.all())
            .select_related("organisation", "practice")
            .order_by("name", "pk")
        ):
            nomination.result_entry = results.get(nomination.pk)
            nominees.append(nomination)
    return {
        "cycle": cycle,
        "award": cycle.award,
        "announcement": announcement,
        "images": images,
        "winners": [e for e in entries if e.result == DecisionEntry.Result.WINNER],
        "mentions": [e for e in entries if e.result == DecisionEntry.Result.HONOURABLE_MENTION],
        "finalists": [e for e in entries if e.result == DecisionEntry.Result.FINALIST],
        "nominees": nominees,
    }


def public_cycle(year: int, at=None) -> AwardCycle | None:
    return (
        AwardCycle.objects.results_public(at)
        .filter(year=year)
        .select_related("award", "announcement", "decision")
        .order_by("award_id")
        .first()
    )


def archive_cycles(at=None) -> list[AwardCycle]:
    """Every year with a public result, newest first, each with its winners and mentions (two queries)."""
    shown = confirmed_entries().filter(
        result__in=[DecisionEntry.Result.WINNER, DecisionEntry.Result.HONOURABLE_MENTION]
    )
    return list(
        AwardCycle.objects.results_public(at)
        .select_related("award", "announcement", "decision")
        .prefetch_related(Prefetch("decision__entries", queryset=shown.order_by("order", "pk"), to_attr="shown"))
        .order_by("-year")
    )


def first_image(cycle: AwardCycle) -> AnnouncementImage | None:
    return AnnouncementImage.objects.filter(announcement__cycle=cycle).order_by("order", "pk").first()


def publication_problems(cycle: AwardCycle) -> list[str]:
    """What keeps the result of `cycle` from being published; empty when it may be."""
    problems = []
    decision = Decision.objects.filter(cycle=cycle).first()
    if decision is None or decision.state != Decision.State.CONFIRMED:
        problems.append(_("The jury's decision is not confirmed."))
    else:
        entries = list(decision.entries.select_related("nomination"))
        problems.extend(out_of_competition_problems(entries))
        if not any(e.result == DecisionEntry.Result.WINNER for e in entries if e not in out_of_competition(entries)):
            problems.append(_("The decision names no winner."))
        problems.extend(
            _("%(name)s: the citation in Swedish is missing.") % {"name": e.nomination.name}
            for e in entries
            if not e.citation_sv.strip()
        )
    announcement = Announcement.objects.filter(cycle=cycle).first()
    if announcement is None:
        problems.append(_("The announcement has not been written."))
    elif not announcement.text_sv.strip() or not announcement.title_sv.strip():
        problems.append(_("The announcement's title and text in Swedish are missing."))
    return problems


def nomination_recipients(nomination: Nomination) -> list[User]:
    """The nominators of a nomination: who may nominate for its organisation, and who created it."""
    users = {
        m.user.pk: m.user
        for m in OrganisationMembership.objects.filter(
            organisation_id=nomination.organisation_id, can_nominate=True, user__is_active=True
        ).select_related("user")
    }
    if nomination.created_by_id and nomination.created_by.is_active:
        users.setdefault(nomination.created_by_id, nomination.created_by)
    return sorted(users.values(), key=lambda u: u.email)


@dataclass
class PlannedEmail:
    """One result e-mail the publication will send: to whom, about which nomination, which text, which language."""

    nomination: Nomination
    entry: DecisionEntry | None
    kind: str
    user: User

    @property
    def language(self) -> str:
        return self.user.preferred_language or settings.LANGUAGE_CODE


def planned_result_emails(cycle: AwardCycle) -> list[PlannedEmail]:
    """Every result e-mail publishing the cycle sends, one per nomination and nominator, minus those already sent;
    the same list notifications_send() works through."""
    results = {
        e.nomination_id: e
        for e in DecisionEntry.objects.filter(decision__cycle=cycle, decision__state=Decision.State.CONFIRMED)
    }
    already = set(NotificationLog.objects.filter(cycle=cycle).values_list("nomination_id", "email"))
    planned = []
    nominations = (
        Nomination.objects.filter(cycle=cycle, state=Nomination.State.SUBMITTED)
        .select_related("cycle__award", "created_by", "organisation")
        .order_by("pk")
    )
    for nomination in nominations:
        entry = results.get(nomination.pk)
        kind = entry.result if entry else NotificationLog.Kind.NOMINEE
        for user in nomination_recipients(nomination):
            if (nomination.pk, user.email) not in already:
                planned.append(PlannedEmail(nomination=nomination, entry=entry, kind=kind, user=user))
    return planned


def email_counts(planned: list[PlannedEmail]) -> list[dict]:
    """How many e-mails of each kind in each language, with one of each to preview:
    [{kind, language, count, sample}]."""
    groups: dict[tuple[str, str], dict] = {}
    for email in planned:
        key = (email.kind, email.language)
        group = groups.setdefault(key, {"kind": email.kind, "language": email.language, "count": 0, "sample": email})
        group["count"] += 1
    order = [*NotificationLog.Kind.values]
    languages = [code for code, _name in settings.LANGUAGES]
    return sorted(groups.values(), key=lambda g: (order.index(g["kind"]), languages.index(g["language"])))
