"""Keeps every practice's search document current: on its own save (the admin's included), when its links to
organisations, places, themes and target groups change, and when one of those is renamed or removed."""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver

from .models import Municipality, Organisation, Practice, Region, TargetGroup, Theme, WellbeingServicesCounty
from .search.index import linked_for_index, practice_index, practices_index
from .search.tasks import reindex_practices


@receiver(post_save, sender=Practice)
def _practice_saved(sender, instance, raw=False, **kwargs):
    # Fixtures (raw) arrive before their links; `manage.py update_search_index` indexes them afterwards.
    if not raw:
        practice_index(instance)


def _links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:
        # After the clear the links are gone: remember whose they were.
        instance._practices_to_index = list(instance.practices.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        practice_index(instance)
        return
    # From the other side (theme.practices.add(...)): the practices named, at once, as for a forward change.
    ids = sorted(pk_set or []) if action != "post_clear" else getattr(instance, "_practices_to_index", [])
    if ids:
        practices_index(linked_for_index(Practice.objects.filter(pk__in=ids)))


for _relation in ("organisations", "municipalities", "counties", "themes", "target_groups"):
    m2m_changed.connect(
        _links_changed, sender=getattr(Practice, _relation).through, dispatch_uid=f"practice-{_relation}-index"
    )


def _linked_practices(instance) -> list[int]:
    if isinstance(instance, Region):
        practices = Practice.objects.filter(municipalities__region=instance)
    elif isinstance(instance, WellbeingServicesCounty):
        practices = Practice.objects.filter(Q(counties=instance) | Q(municipalities__county=instance))
    else:
        practices = instance.practices.all()
    return sorted(set(practices.values_list("pk", flat=True)))


def _reindex_later(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: reindex_practices.enqueue(ids))


NAMED = (Organisation, Municipality, Region, WellbeingServicesCounty, Theme, TargetGroup)


def _name_saved(sender, instance, created=False, raw=False, **kwargs):
    if not created and not raw:
        _reindex_later(_linked_practices(instance))


def _name_deleted(sender, instance, **kwargs):
    # The links go with the deleted row (without m2m_changed); their practices are re-indexed once it is gone.
    _reindex_later(_linked_practices(instance))


# Connected to each of these models, not to every model: a delete receiver of all senders would keep Django from
# deleting any model's rows in one statement (a purged cycle's 300,000 scores would each be loaded to signal it).
for _model in NAMED:
    post_save.connect(_name_saved, sender=_model, dispatch_uid=f"practice-names-{_model.__name__}-saved")
    pre_delete.connect(_name_deleted, sender=_model, dispatch_uid=f"practice-names-{_model.__name__}-deleted")
