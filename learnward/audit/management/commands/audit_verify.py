from django.core.management.base import BaseCommand, CommandError

from learnward.audit.selectors import audit_verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exit non-zero naming the first bad entry."

    def handle(self, *args, **options):
        checked, fault = audit_verify_chain()
        if fault is not None:
            raise CommandError(
                f"Audit chain broken at {fault} ({checked} entries verified before it)"
            )
        self.stdout.write(f"Audit chain intact: {checked} entries verified.")
