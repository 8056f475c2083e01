from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from learnward.classes.services import booking_reminders_send


class Command(BaseCommand):
    help = (
        "Email a reminder to everyone booked on a session that starts within "
        "LEARNWARD_CLASSES_REMINDER_HOURS; each booking is reminded once. A daily job; safe to "
        "run hourly (or late, or twice)."
    )

    def handle(self, *args, **options):
        sent = booking_reminders_send()
        self.stdout.write(
            ngettext("Sent %(count)s session reminder.", "Sent %(count)s session reminders.", sent)
            % {"count": sent}
        )
