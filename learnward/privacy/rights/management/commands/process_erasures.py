from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from learnward.privacy.rights.services import account_deletions_process


class Command(BaseCommand):
    help = "Erase accounts whose deletion cool-off period has passed. Safe to run repeatedly."

    def handle(self, *args, **options):
        done, failed = account_deletions_process()
        self.stdout.write(_("Erased %(count)s account(s).") % {"count": done})
        if failed:
            raise CommandError(
                _("%(count)s erasure(s) failed and were rolled back; see the log.")
                % {"count": failed}
            )
