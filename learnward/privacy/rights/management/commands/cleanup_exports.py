from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from learnward.privacy.rights.services import exports_cleanup


class Command(BaseCommand):
    help = "Delete data export archives whose download link has expired. Safe to run repeatedly."

    def handle(self, *args, **options):
        deleted = exports_cleanup()
        self.stdout.write(_("Deleted %(count)s expired export(s).") % {"count": deleted})
