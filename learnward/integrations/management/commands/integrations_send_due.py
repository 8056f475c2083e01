"""Send the webhook deliveries and xAPI statements that are due (retries included).

The worker normally retries by itself (tasks enqueued with ``run_after``); this is the safety net
for a backend that cannot run tasks later, and for anything left behind. Idempotent."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from learnward.integrations.services import integrations_send_due


class Command(BaseCommand):
    help = "Send the webhook deliveries and xAPI statements that are due."

    def handle(self, *args, **options) -> None:
        counts = integrations_send_due()
        self.stdout.write(
            _("Tried %(webhooks)s webhook deliveries and %(statements)s statements.") % counts
        )
