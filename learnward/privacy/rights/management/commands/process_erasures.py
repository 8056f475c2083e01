from django.core.management.base import BaseCommand, CommandError

from learnward.privacy.rights.services import account_deletions_process


class Command(BaseCommand):
    help = "Erase accounts whose deletion cool-off period has passed. Safe to run repeatedly."

    def handle(self, *args, **options):
        done, failed = account_deletions_process()
        self.stdout.write(f"Erased {done} account(s).")
        if failed:
            raise CommandError(f"{failed} erasure(s) failed and were rolled back; see the log.")
