from django.core.management.base import BaseCommand, CommandError

from learnward.organisations.digest import digests_send


class Command(BaseCommand):
    help = (
        "Email each opted-in manager the weekly digest of their organisation's required "
        "training (what changed, what is due in 30 days), at most once per 7 days per "
        "organisation. Runs daily; safe to run again or twice at once."
    )

    def handle(self, *args, **options):
        run = digests_send()
        self.stdout.write(
            f"Sent {run.sent} digest(s); {run.nothing_to_say} manager(s) had nothing new."
        )
        if run.failed:
            raise CommandError(
                f"{run.failed} digest(s) could not be sent; they will be tried again on the "
                "next run."
            )
