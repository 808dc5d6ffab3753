"""Factories of jury work: a cycle in scoring with its criteria, submitted nominations, reviews and scores."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from awards.models import Assignment, AwardCycle, ConflictOfInterest, Criterion, Nomination, Review, Score
from awards.services.jury import reviews_tally_refresh

from .awards import AwardCycleFactory, NominationFactory


class ScoringCycleFactory(AwardCycleFactory):
    """A cycle whose nominations have closed and whose jury period is open."""

    state = AwardCycle.State.SCORING
    nominations_open_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=40))
    nominations_close_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    jury_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=9))
    jury_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))


class SubmittedNominationFactory(NominationFactory):
    cycle = factory.SubFactory(ScoringCycleFactory)
    state = Nomination.State.SUBMITTED
    eligibility = Nomination.Eligibility.ELIGIBLE
    submitted_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=12))
    reference = factory.Sequence(lambda n: f"LST-T-{n:05d}")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    nomination = factory.SubFactory(SubmittedNominationFactory)
    juror = factory.SubFactory("tests.factories.accounts.UserFactory")


class ConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictOfInterest

    user = factory.SubFactory("tests.factories.accounts.UserFactory")
    nomination = factory.SubFactory(SubmittedNominationFactory)
    source = ConflictOfInterest.Source.DECLARED
    reason = "Olin mukana kehittämässä toimintamallia."


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    juror = factory.SubFactory("tests.factories.accounts.UserFactory")
    nomination = factory.SubFactory(SubmittedNominationFactory)
    state = Review.State.DRAFT
    version = 1


def criteria_for(cycle, weights=(1, 1), scale=(1, 5)) -> list[Criterion]:
    return [
        Criterion.objects.create(
            cycle=cycle,
            order=i,
            name_fi=f"Kriteeri {i + 1}",
            name_en=f"Criterion {i + 1}",
            weight=Decimal(str(w)),
            scale_min=scale[0],
            scale_max=scale[1],
        )
        for i, w in enumerate(weights)
    ]


def review_with_scores(juror, nomination, values, *, submitted=True, abstain=False, comments=None) -> Review:
    """A review with one score per criterion of the nomination's cycle, in criterion order (None = unscored)."""
    now = timezone.now()
    review = Review.objects.create(
        juror=juror,
        nomination=nomination,
        state=Review.State.SUBMITTED if submitted else Review.State.DRAFT,
        submitted_at=now if submitted else None,
        first_submitted_at=now if submitted else None,
        abstain=abstain,
        abstain_reason="Esteellinen aiemman yhteistyön vuoksi." if abstain else "",
        version=1,
    )
    criteria = Criterion.objects.filter(cycle_id=nomination.cycle_id).order_by("order", "pk")
    comments = comments or {}
    Score.objects.bulk_create(
        Score(
            review=review,
            criterion=c,
            value=v,
            comment=comments.get(i, ""),
            scale_min=c.scale_min,
            scale_max=c.scale_max,
        )
        for i, (c, v) in enumerate(zip(criteria, values, strict=False))
    )
    # bulk_create sends no signals: the review's stored tally is written as every bulk write does.
    reviews_tally_refresh(reviews=Review.objects.filter(pk=review.pk))
    return review
