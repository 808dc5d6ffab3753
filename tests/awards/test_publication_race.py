"""Two senders at once (cron and the publish action) still e-mail each nominator once."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from awards.models import AwardCycle, NotificationLog
from awards.services.publication import notifications_send
from tests.factories import decided_cycle


@pytest.mark.django_db(transaction=True)
def test_notifications_send_concurrently_sends_once():
    data = decided_cycle()
    data.cycle.state = AwardCycle.State.PUBLISHED
    data.cycle.results_published_at = timezone.now() - timedelta(seconds=1)
    data.cycle.save()
    barrier = threading.Barrier(2)
    counts = []

    def send():
        try:
            barrier.wait()
            counts.append(notifications_send(cycle=data.cycle))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 2]
    assert len(mail.outbox) == 2
    assert NotificationLog.objects.filter(cycle=data.cycle).count() == 2
