from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from learnward.organisations.digest import digests_send


class Command(BaseCommand):
    help = (
        "Email each opted-in manager the weekly digest of their organisation's required "
        "training (what changed, what is due in 30 days), at most once per 7 days per "
        "organisation. Runs daily; safe to run again or twice at once."
    )

    def handle(self, *args, **options):
        run = digests_send()
        sent = ngettext("Sent %(count)s digest.", "Sent %(count)s digests.", run.sent) % {
            "count": run.sent
        }
        quiet = ngettext(
            "%(count)s manager had nothing new.",
            "%(count)s managers had nothing new.",
            run.nothing_to_say,
        ) % {"count": run.nothing_to_say}
        self.stdout.write(f"{sent} {quiet}")
        if run.failed:
            raise CommandError(
                ngettext(
                    "%(count)s digest could not be sent; it will be tried again on the next run.",
                    "%(count)s digests could not be sent; they will be tried again on the next "
                    "run.",
                    run.failed,
                )
                % {"count": run.failed}
            )
