"""E-mail the nominators of every result whose publication moment has passed; run from cron every minute."""

from django.core.management.base import BaseCommand

from awards.services.publication import notifications_send_due


class Command(BaseCommand):
    help = "Send the result e-mails of published (and scheduled, now passed) cycles; each e-mail goes out once."

    def handle(self, *args, **options):
        sent = notifications_send_due()
        if options["verbosity"]:
            self.stdout.write(f"{sent} e-mails sent.")
