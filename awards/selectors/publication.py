"""Reads of the public results: what the public may see of nominations and practices (decided here, once), each
year's page, the archive, and what publication still needs.

Every public page, search, feed, sitemap and API of the service starts from public_nominations and public_practices.
"""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import OrganisationMembership, User
from awards.models import Announcement, AnnouncementImage, AwardCycle, Decision, DecisionEntry, Nomination
from practices.models import Practice

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


def public_practices(at=None) -> QuerySet:
    """Practices the public may see: marked public by staff, or with a nomination the public may see
    (public_nominations). Every public page, search and API uses this."""
    return Practice.objects.filter(Q(is_public=True) | Q(pk__in=public_nominations(at).values("practice_id")))


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
        if not any(e.result == DecisionEntry.Result.WINNER for e in entries):
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
