from django.core.management.base import BaseCommand

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
        self.stdout.write(f"Cancelled {cancelled} unpaid order(s).")
        self.stdout.write(f"Reminded {reminded} learner(s) that their access ends soon.")
        self.stdout.write(f"Ended {ended} access grant(s) whose time was up.")
