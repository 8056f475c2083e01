from django.core.management.base import BaseCommand

from learnward.notifications.services import digests_send


class Command(BaseCommand):
    help = (
        "Send each person who chose a daily digest one email with the notifications queued for "
        "it since the last run. Each item is sent once. A daily job (learnward periodic)."
    )

    def handle(self, *args, **options):
        counts = digests_send()
        self.stdout.write(
            f"{counts['sent']} digest(s) sent, {counts['failed']} failed (kept for the next run)."
        )
