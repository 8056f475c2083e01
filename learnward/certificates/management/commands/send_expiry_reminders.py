from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learnward.certificates.reminders import expiry_reminders_send


class Command(BaseCommand):
    help = (
        "Email holders whose certificates expire soon, at the days before expiry in "
        "LEARNWARD_CERTIFICATE_REMINDER_DAYS (60,30,7). Each reminder goes once per certificate; "
        "safe to run repeatedly, late, or twice at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only say how many reminders would be sent, per interval; send and store nothing.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        run = expiry_reminders_send(dry_run=dry_run)
        for days in run.intervals:
            count = run.sent.get(days, 0)
            if dry_run:
                line = ngettext(
                    "Would send %(count)s reminder(s) %(days)s day before expiry.",
                    "Would send %(count)s reminder(s) %(days)s days before expiry.",
                    days,
                )
            else:
                line = ngettext(
                    "Sent %(count)s reminder(s) %(days)s day before expiry.",
                    "Sent %(count)s reminder(s) %(days)s days before expiry.",
                    days,
                )
            self.stdout.write(line % {"count": count, "days": days})
        if dry_run:
            self.stdout.write(_("Dry run: nothing was sent or stored."))
            return
        if run.undeliverable:
            self.stdout.write(
                _(
                    "%(count)s reminder(s) refused for good by the recipient's mail server; "
                    "not tried again."
                )
                % {"count": run.undeliverable}
            )
        if run.failed:
            raise CommandError(
                _(
                    "%(count)s reminder(s) could not be sent; they will be tried again on the "
                    "next run."
                )
                % {"count": run.failed}
            )
