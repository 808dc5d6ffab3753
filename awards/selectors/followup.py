"""Reads of the follow-up of winners: the public timeline of a practice (approved answers only, of public
practices), and staff's list of who has not answered."""

from django.db.models import Prefetch, QuerySet

from awards.models import FollowUp

from .publication import public_practices


def public_follow_ups(at=None) -> QuerySet:
    """Approved follow-up answers of practices the public may see, oldest first: the practice's timeline."""
    return (
        FollowUp.objects.filter(state=FollowUp.State.APPROVED, practice__in=public_practices(at))
        .select_related("cycle", "organisation")
        .order_by("due_at", "milestone", "pk")
    )


def follow_ups_prefetch(at=None) -> Prefetch:
    """Prefetch of a practice's public follow-ups into `practice.public_follow_ups`."""
    return Prefetch("follow_ups", queryset=public_follow_ups(at), to_attr="public_follow_ups")


def staff_follow_ups(state: str = "") -> QuerySet:
    queryset = FollowUp.objects.select_related("organisation", "practice", "cycle").order_by(
        "-due_at", "organisation__name", "pk"
    )
    if state in FollowUp.State.values:
        return queryset.filter(state=state)
    if state == "all":
        return queryset
    return queryset.filter(state__in=[FollowUp.State.WAITING, FollowUp.State.ANSWERED])
