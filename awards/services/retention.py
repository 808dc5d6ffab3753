"""The awards' kinds of record under the retention periods (accounts/retention.py): what a cycle published long
enough ago no longer needs. Winners, honourable mentions and their citations are kept for good: they are the
prize's public history."""

from datetime import datetime

from django.db.models import Exists, OuterRef

from awards.models import AwardCycle, Decision, DecisionEntry, Nomination, Review

KEPT_RESULTS = [DecisionEntry.Result.WINNER, DecisionEntry.Result.HONOURABLE_MENTION]


def _published_before(cutoff: datetime):
    return AwardCycle.objects.filter(state=AwardCycle.State.PUBLISHED, results_published_at__lt=cutoff)


def nomination_contacts_anonymise(cutoff: datetime) -> int:
    """Blank the contact person of every nomination that won nothing, in cycles published before the cut-off."""
    kept = DecisionEntry.objects.filter(
        nomination_id=OuterRef("pk"), decision__state=Decision.State.CONFIRMED, result__in=KEPT_RESULTS
    )
    nominations = (
        Nomination.objects.filter(cycle__in=_published_before(cutoff))
        .exclude(Exists(kept))
        .exclude(contact_name="", contact_title="", contact_email="", contact_phone="")
    )
    return nominations.update(contact_name="", contact_title="", contact_email="", contact_phone="")


def jury_reviews_remove(cutoff: datetime) -> int:
    """Remove the jurors' individual reviews (scores and comments) of cycles published before the cut-off; the
    decision and its citations stay."""
    reviews = Review.objects.filter(nomination__cycle__in=_published_before(cutoff))
    return reviews.delete()[1].get("awards.Review", 0)
