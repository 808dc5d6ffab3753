"""Reads of proposals by anyone: the staff's queue, and possible duplicates of a proposal."""

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from awards.models import Proposal

OPEN_STATES = [Proposal.State.NEW, Proposal.State.HELD]


def proposal_queue(state: str = "") -> QuerySet:
    """Verified proposals for staff (never the unverified drafts): the open ones unless another state is asked."""
    queryset = Proposal.objects.exclude(state=Proposal.State.UNVERIFIED).select_related("cycle", "nomination")
    if state == "all":
        return queryset
    if state in Proposal.State.values:
        return queryset.filter(state=state)
    return queryset.filter(state__in=OPEN_STATES)


def possible_duplicates(proposal: Proposal) -> QuerySet:
    """Other verified proposals naming the same practice or the same organisation, for merging."""
    words = [w for w in proposal.practice_name.split() if len(w) > 3][:3]
    same_name = Q(practice_name__iexact=proposal.practice_name)
    for word in words:
        same_name |= Q(practice_name__icontains=word)
    return (
        Proposal.objects.exclude(pk=proposal.pk)
        .exclude(state=Proposal.State.UNVERIFIED)
        .annotate(organisation_lower=Lower("organisation_name"))
        .filter(same_name | Q(organisation_lower=proposal.organisation_name.lower()))
        .order_by("-created_at")[:10]
    )
