"""Reads of the public results: each year's page, the archive, and the fingerprint the public caches key on.

Everything here starts from AwardCycle.objects.results_public and awards.selectors.shown_when_published, the
one rule of what the public sees."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Max, OuterRef, Prefetch, Subquery

from .models import AnnouncementImage, AwardCycle, Decision, DecisionEntry, Nomination
from .selectors import shown_when_published


@dataclass(frozen=True)
class Fingerprint:
    """The state of everything public about the results, read in one query.

    It changes when a result is published (or a scheduled moment passes), withdrawn, or anything shown is
    changed, so a cache key containing it is invalidated at once, in every process."""

    years: frozenset[int]
    last_modified: datetime | None
    key: str

    def etag(self, *parts) -> str:
        return hashlib.sha256("|".join([self.key, *map(str, parts)]).encode()).hexdigest()[:32]


def publication_fingerprint(at=None) -> Fingerprint:
    public = AwardCycle.objects.results_public(at)
    latest_nomination_change = (
        Nomination.objects.filter(cycle_id=OuterRef("pk")).order_by("-updated_at").values("updated_at")[:1]
    )
    row = public.aggregate(
        cycles=Count("pk", distinct=True),
        cycle_updated=Max("updated_at"),
        published=Max("results_published_at"),
        announcement_updated=Max("announcement__updated_at"),
        decision_updated=Max("decision__updated_at"),
        # Per cycle through its index, not a join of every nomination of every public year.
        nomination_updated=Max(Subquery(latest_nomination_change)),
        years=ArrayAgg("year", distinct=True, default=[]),
    )
    years = frozenset(row["years"])
    stamps = [
        row[k] for k in ("cycle_updated", "published", "announcement_updated", "decision_updated", "nomination_updated")
    ]
    present = [s for s in stamps if s is not None]
    raw = "|".join(
        [",".join(map(str, sorted(years))), str(row["cycles"]), *(s.isoformat() if s else "-" for s in stamps)]
    )
    return Fingerprint(
        years=years,
        last_modified=max(present) if present else None,
        key=hashlib.sha256(raw.encode()).hexdigest()[:24],
    )


def _confirmed_entries():
    return DecisionEntry.objects.filter(decision__state=Decision.State.CONFIRMED).select_related(
        "nomination__organisation", "nomination__practice"
    )


def year_page_context(cycle: AwardCycle) -> dict:
    """What the year's page shows: the announcement, the results with their citations, and the nominees.

    Used by the public page and by the staff preview alike, so the preview is exactly what the public will see."""
    entries = list(_confirmed_entries().filter(decision__cycle=cycle).order_by("order", "pk"))
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
    shown = _confirmed_entries().filter(
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
