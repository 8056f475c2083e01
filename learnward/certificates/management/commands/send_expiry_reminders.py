from django.core.management.base import BaseCommand, CommandError

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
        verb = "Would send" if dry_run else "Sent"
        for days in run.intervals:
            count = run.sent.get(days, 0)
            self.stdout.write(f"{verb} {count} reminder(s) {days} days before expiry.")
        if dry_run:
            self.stdout.write("Dry run: nothing was sent or stored.")
            return
        if run.undeliverable:
            self.stdout.write(
                f"{run.undeliverable} reminder(s) refused for good by the recipient's mail server; "
                "not tried again."
            )
        if run.failed:
            raise CommandError(
                f"{run.failed} reminder(s) could not be sent; they will be tried again on the "
                "next run."
            )
