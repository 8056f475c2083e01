from django.core.management.base import BaseCommand

from learnward.accounts.guardian import guardian_requests_due, guardian_requests_expire


class Command(BaseCommand):
    help = (
        "Erase accounts still waiting for a parent's or guardian's consent after "
        "LEARNWARD_GUARDIAN_CONSENT_DAYS. Safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many would be erased."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        if dry_run:
            due = len(guardian_requests_due())
            self.stdout.write(f"Would erase {due} waiting account(s). Nothing was changed.")
            return
        done = guardian_requests_expire()
        self.stdout.write(f"Erased {done} waiting account(s) with no answer from a guardian.")
