"""Work that follows a rename: the practices linked to a renamed or removed place, organisation or theme are
re-indexed after the change commits, outside the request that made it."""

from django.tasks import task

from practices.models import Practice

from .index import linked_for_index, practices_index

BATCH = 500


@task
def reindex_practices(practice_ids: list[int]) -> int:
    """Rewrite the search documents of these practices (idempotent: running it twice writes the same)."""
    written = 0
    for start in range(0, len(practice_ids), BATCH):
        batch = linked_for_index(Practice.objects.filter(pk__in=practice_ids[start : start + BATCH]))
        written += practices_index(batch)
    return written
