"""Create the demo content: history and demo practices, demo users, the prize and its current cycle.

Idempotent; run by `make run`, never by a migration. Demo users exist only where this command ran.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_USERS, demo_password, seed_users
from awards.demo import seed_award
from awards.demo.jury import seed_jury
from practices.demo import seed_practices


class Command(BaseCommand):
    help = "Create demo users, practices and the current award cycle (idempotent)."

    def handle(self, *args, **options):
        call_command("load_reference_data", verbosity=0)
        practices = seed_practices()
        seed_users()
        _award, cycle = seed_award()
        jury_cycle = seed_jury(_award)
        self.stdout.write(f"Jury demo: cycle {jury_cycle} in scoring, /fi/tuomaristo/{jury_cycle.year}/")
        self.stdout.write(self.style.SUCCESS(f"Demo content: {practices} practices, cycle {cycle}."))
        self.stdout.write(f"Demo logins (password: {demo_password()}):")
        for email, first, last, *_rest in DEMO_USERS:
            self.stdout.write(f"  {email:<28} {first} {last}")
