from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from learnward.audit.selectors import audit_verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exit non-zero naming the first bad entry."

    def handle(self, *args, **options):
        checked, fault = audit_verify_chain()
        if fault is not None:
            raise CommandError(
                _("Audit chain broken at %(entry)s (%(count)s entries verified before it)")
                % {"entry": fault, "count": checked}
            )
        self.stdout.write(_("Audit chain intact: %(count)s entries verified.") % {"count": checked})
