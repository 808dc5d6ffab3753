"""Create the demo content: history and demo practices, demo users, the prize and its current cycle.

Idempotent; run by `make run`, never by a migration. Demo users exist only where this command ran.
"""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from accounts.demo import DEMO_TOTP_SECRET, DEMO_USERS, demo_password, seed_second_factor, seed_users
from awards.demo import seed_award
from awards.demo.jury import seed_jury
from awards.demo.nominations import seed_nominations
from awards.demo.publication import seed_publication_demo
from awards.history import load_award_history
from practices.demo import seed_practices


class Command(BaseCommand):
    help = "Create demo users, practices and the current award cycle (idempotent)."

    def handle(self, *args, **options):
        # The demo makes a superuser with a published password and authenticator secret: never in production.
        if settings.PRODUCTION or os.environ.get("DJANGO_ENV") == "production":
            raise CommandError(
                "seed_demo refuses to run with DJANGO_ENV=production: it creates demo users, a superuser among them, "
                "with a known password and a known second-factor secret."
            )
        # Demo content is created through the real services, which e-mail people; nobody should get those: the
        # outbox delivers them at once, here, to a mailer that drops them.
        with override_settings(
            MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}, TASKS_RUN_AT_ONCE=True
        ):
            self.seed()

    def seed(self):
        call_command("load_reference_data", verbosity=0)
        practices = seed_practices()
        seed_users()
        _award, cycle = seed_award()
        seed_nominations(cycle)
        load_award_history()
        seed_publication_demo()
        jury_cycle = seed_jury(_award)
        self.stdout.write(f"Jury demo: cycle {jury_cycle} in scoring, /fi/tuomaristo/{jury_cycle.year}/")
        self.stdout.write(self.style.SUCCESS(f"Demo content: {practices} practices, cycle {cycle}."))
        self.stdout.write(f"Demo logins (password: {demo_password()}):")
        for email, first, last, *_rest in DEMO_USERS:
            self.stdout.write(f"  {email:<28} {first} {last}")
        self._second_factor()

    def _second_factor(self):
        seeded = seed_second_factor()
        self.stdout.write(f"Second factor (DEMO ONLY) for {', '.join(seeded)}: authenticator secret {DEMO_TOTP_SECRET}")
        self.stdout.write(f"  add it to an authenticator app, or run: oathtool --totp -b {DEMO_TOTP_SECRET}")
        self.stdout.write(
            '  or: python manage.py shell -c "from accounts.demo import demo_totp_code; print(demo_totp_code())"'
        )
