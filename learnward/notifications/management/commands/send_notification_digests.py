from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from learnward.notifications.services import digests_send


class Command(BaseCommand):
    help = (
        "Send each person who chose a daily digest one email with the notifications queued for "
        "it since the last run. Each item is sent once. A daily job (learnward periodic)."
    )

    def handle(self, *args, **options):
        counts = digests_send()
        self.stdout.write(
            _("%(sent)s digest(s) sent, %(failed)s failed (kept for the next run).") % counts
        )
