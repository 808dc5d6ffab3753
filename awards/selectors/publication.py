"""Reads of the public results: what the public may see of nominations and practices (decided here, once), each
year's page, the archive, and what publication still needs.

Every public page, search, feed, sitemap and API of the service starts from public_nominations and public_practices.
Whether the text of a practice's description is public is decided here too, once (description_public_condition):
every surface (library pages and cards, search and its snippets, the API, Open Graph, exports) reads the
`description_public` flag that public_practices puts on each practice, or the expressions built on it below.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
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


def description_public_condition(at=None) -> Q:
    """Q over Practice: the text of its description may be public. The one rule of consent.

    A practice created by a nomination took its text from that nomination at submission: while that nomination's
    nominator has not consented (or has withdrawn consent), the text is never public, whoever marked the practice
    public. Otherwise the text is public when staff marked the practice public (a description of their own, e.g.
    from Innokylä) or when a nomination the public may see consented to publication. Withdrawing consent changes the
    nomination's row, so every surface reading this drops the text at once."""
    refused = Nomination.objects.filter(practice_id=OuterRef("pk"), practice_is_new=True, consent_to_publish=False)
    consented = public_nominations(at).filter(practice_id=OuterRef("pk"), consent_to_publish=True)
    return ~Exists(refused) & (Q(is_public=True) | Exists(consented))


def public_practices(at=None) -> QuerySet:
    """Practices the public may see: marked public by staff, or with a nomination the public may see
    (public_nominations). Every public page, search and API uses this. Each practice carries `description_public`
    (description_public_condition): where it is False, only the name and the facts around it may be shown."""
    return Practice.objects.filter(Q(is_public=True) | Q(pk__in=public_nominations(at).values("practice_id"))).annotate(
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
