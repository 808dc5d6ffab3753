"""Work that runs later, on the queue (Django's Tasks framework): the follow-ups of winners that have come due, and
the removal of proposals whose address was never verified. Each task is idempotent; see the services."""

from django.tasks import task
from django.utils import timezone

from awards.services.followup import followups_send_due
from awards.services.proposals import proposals_purge_unverified


@task
def followups_send_due_task() -> int:
    """Send the follow-up forms due now (one and three years after publication); safe to run at any interval."""
    return followups_send_due(now=timezone.now())


@task
def proposals_purge_task() -> int:
    return proposals_purge_unverified(now=timezone.now())
