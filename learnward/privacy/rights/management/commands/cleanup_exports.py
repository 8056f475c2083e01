from django.core.management.base import BaseCommand

from learnward.privacy.rights.services import exports_cleanup


class Command(BaseCommand):
    help = "Delete data export archives whose download link has expired. Safe to run repeatedly."

    def handle(self, *args, **options):
        deleted = exports_cleanup()
        self.stdout.write(f"Deleted {deleted} expired export(s).")
