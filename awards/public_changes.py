"""What of the awards the public sees changes when: the models whose writes bump the public version
(practices/public_version.py), the receivers that keep each practice's stored publicity (the columns of
awards.selectors.publication.publicity_columns) current on every save and delete the rule reads, and the moments at
which the public pages change by themselves."""

from datetime import datetime

from django.db.models import Min, Q
from django.db.models.signals import post_delete, post_init, post_save

from practices import public_version
from practices.models import Practice

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


def _refresh(practice_ids) -> None:
    from .services.publication import practices_publicity_refresh  # noqa: PLC0415 (services import this module's app)

    practices_publicity_refresh(practices=Practice.objects.filter(pk__in=practice_ids))


def _nomination_loaded(sender, instance, **kwargs):
    # The practice it had when read: moving a nomination to another practice changes both practices.
    instance._publicity_practice_id = instance.__dict__.get("practice_id")


def _nomination_changed(sender, instance, **kwargs):
    ids = {instance.practice_id, getattr(instance, "_publicity_practice_id", None)} - {None}
    if ids:
        _refresh(ids)
    instance._publicity_practice_id = instance.practice_id


def _cycle_changed(sender, instance, **kwargs):
    _refresh(Nomination.objects.filter(cycle_id=instance.pk).values("practice_id"))


def _decision_changed(sender, instance, **kwargs):
    _refresh(Nomination.objects.filter(cycle_id=instance.cycle_id).values("practice_id"))


def _of_nomination_changed(sender, instance, **kwargs):
    """A decision entry or a safeguard check: its nomination's practice."""
    _refresh(Nomination.objects.filter(pk=instance.nomination_id).values("practice_id"))


def _keep_publicity() -> None:
    """Every write the rule of publicity_columns reads rewrites the stored columns of the practices concerned, in
    the same transaction: the admin, the shell and the services alike. Bulk writes send no signal: they call
    practices_publicity_refresh themselves (or run the command refresh_practice_publicity)."""
    post_init.connect(_nomination_loaded, sender=Nomination, dispatch_uid="publicity:nomination:init")
    for signal in (post_save, post_delete):
        name = "save" if signal is post_save else "delete"
        signal.connect(_nomination_changed, sender=Nomination, dispatch_uid=f"publicity:nomination:{name}")
        signal.connect(_cycle_changed, sender=AwardCycle, dispatch_uid=f"publicity:cycle:{name}")
        signal.connect(_decision_changed, sender=Decision, dispatch_uid=f"publicity:decision:{name}")
        for model in (DecisionEntry, SafeguardCheck):
            signal.connect(_of_nomination_changed, sender=model, dispatch_uid=f"publicity:{model.__name__}:{name}")


def register() -> None:
    _keep_publicity()
    public_version.watch([Award, AwardCycle, Criterion, Announcement, AnnouncementImage, Decision, DecisionEntry])
    # A cleared safeguard lets a nomination be shown; an approved follow-up joins its practice's page.
    public_version.watch([SafeguardCheck, FollowUp])
    public_version.watch([Nomination], when=_in_a_published_cycle)
    public_version.register_moments(next_public_moment)
