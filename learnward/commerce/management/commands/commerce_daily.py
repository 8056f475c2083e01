from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from learnward.commerce.services import access_expire_due, access_remind_due, orders_expire_unpaid


class Command(BaseCommand):
    help = (
        "The store's daily work: cancel orders left unpaid (card after a day, bank transfer after "
        "twice the payment terms), email learners whose paid access ends within 14 days, and end "
        "access whose time is up. Safe to run repeatedly or late."
    )

    def handle(self, *args, **options):
        cancelled = orders_expire_unpaid()
        reminded = access_remind_due()
        ended = access_expire_due()
        self.stdout.write(_("Cancelled %(count)s unpaid order(s).") % {"count": cancelled})
        self.stdout.write(
            _("Reminded %(count)s learner(s) that their access ends soon.") % {"count": reminded}
        )
        self.stdout.write(
            _("Ended %(count)s access grant(s) whose time was up.") % {"count": ended}
        )
