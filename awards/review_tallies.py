"""The receivers that keep each review's stored tally of its scores (the columns of
awards.selectors.jury.review_tally_columns) current on every write the tally reads: a new review, a saved score,
and a criterion saved or deleted (its weight, and the order of the criteria by id)."""

from django.db.models.signals import post_delete, post_save

from .models import Criterion, Review, Score


def _refresh(reviews) -> None:
    from .services.jury import reviews_tally_refresh  # noqa: PLC0415 (services import this module's app)

    reviews_tally_refresh(reviews=reviews)


def _review_created(sender, instance, created, **kwargs):
    # Its positions, one per criterion of the cycle, before any score is given.
    if created:
        _refresh(Review.objects.filter(pk=instance.pk))


def _score_saved(sender, instance, **kwargs):
    _refresh(Review.objects.filter(pk=instance.review_id))


def _criterion_changed(sender, instance, **kwargs):
    # A weight changes every weighted score of the cycle; a criterion added or removed moves the positions.
    _refresh(Review.objects.filter(nomination__cycle_id=instance.cycle_id))


def register() -> None:
    """Every write the tally reads rewrites the stored columns of the reviews concerned, in the same transaction:
    the admin, the shell and the services alike. Bulk writes send no signal: they call reviews_tally_refresh
    themselves (or run the command refresh_review_tallies).

    A score is never deleted on its own: a juror clears one by saving it empty, the admin shows scores read-only,
    and scores go only with their review (a review, nomination or cycle removed, the retention purge). No receiver
    listens to their deletion, so that Django deletes the scores of a purged cycle in one statement instead of
    loading each to signal it."""
    post_save.connect(_review_created, sender=Review, dispatch_uid="tally:review:create")
    post_save.connect(_score_saved, sender=Score, dispatch_uid="tally:score:save")
    post_save.connect(_criterion_changed, sender=Criterion, dispatch_uid="tally:criterion:save")
    post_delete.connect(_criterion_changed, sender=Criterion, dispatch_uid="tally:criterion:delete")
