"""What of the awards the public sees changes when: the models whose writes bump the public version
(practices/public_version.py), and the moments at which the public pages change by themselves."""

from datetime import datetime

from django.db.models import Min, Q

from practices import public_version

from .models import (
    Announcement,
    AnnouncementImage,
    Award,
    AwardCycle,
    Criterion,
    Decision,
    DecisionEntry,
    FollowUp,
    Nomination,
    SafeguardCheck,
)


def _in_a_published_cycle(nomination: Nomination) -> bool:
    """A nomination shows publicly only in a cycle whose results are published or scheduled (its consent, its name,
    its practice); the drafts and submissions of the year in progress change nothing public."""
    return AwardCycle.objects.filter(pk=nomination.cycle_id, state=AwardCycle.State.PUBLISHED).exists()


def next_public_moment(now: datetime) -> datetime | None:
    """The next scheduled publication, or the next opening or closing of a call for nominations (the home page
    and the call page follow them)."""
    row = AwardCycle.objects.aggregate(
        published=Min(
            "results_published_at",
            filter=Q(state=AwardCycle.State.PUBLISHED, results_published_at__gt=now),
        ),
        opens=Min("nominations_open_at", filter=Q(state=AwardCycle.State.OPEN, nominations_open_at__gt=now)),
        closes=Min("nominations_close_at", filter=Q(state=AwardCycle.State.OPEN, nominations_close_at__gt=now)),
    )
    return min(filter(None, row.values()), default=None)


def register() -> None:
    public_version.watch([Award, AwardCycle, Criterion, Announcement, AnnouncementImage, Decision, DecisionEntry])
    # A cleared safeguard lets a nomination be shown; an approved follow-up joins its practice's page.
    public_version.watch([SafeguardCheck, FollowUp])
    public_version.watch([Nomination], when=_in_a_published_cycle)
    public_version.register_moments(next_public_moment)
