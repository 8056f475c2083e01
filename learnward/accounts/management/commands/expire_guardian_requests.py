from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

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
            self.stdout.write(
                ngettext(
                    "Would erase %(count)d waiting account. Nothing was changed.",
                    "Would erase %(count)d waiting accounts. Nothing was changed.",
                    due,
                )
                % {"count": due}
            )
            return
        done = guardian_requests_expire()
        self.stdout.write(
            ngettext(
                "Erased %(count)d waiting account with no answer from a guardian.",
                "Erased %(count)d waiting accounts with no answer from a guardian.",
                done,
            )
            % {"count": done}
        )
