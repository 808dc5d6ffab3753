"""E-mail the nominators of every result whose publication moment has passed; run from cron every minute."""

from django.core.management.base import BaseCommand

from awards.services.followup import followups_send_due
from awards.services.proposals import proposals_purge_unverified
from awards.services.publication import notifications_send_due


class Command(BaseCommand):
    help = (
        "Send the result e-mails of published (and scheduled, now passed) cycles and the follow-ups of winners that "
        "have come due, and remove unverified proposals; each e-mail goes out once."
    )

    def handle(self, *args, **options):
        sent = notifications_send_due()
        follow_ups = followups_send_due()
        purged = proposals_purge_unverified()
        if options["verbosity"]:
            self.stdout.write(
                f"{sent} e-mails sent, {follow_ups} follow-ups sent, {purged} unverified proposals removed."
            )
