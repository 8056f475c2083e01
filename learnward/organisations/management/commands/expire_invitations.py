from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from learnward.organisations.services import invitations_expire_due


class Command(BaseCommand):
    help = (
        "Mark invitations to organisations that nobody answered in time as expired (their seats "
        "went back to their pools when their time ran out). Safe to run repeatedly or late."
    )

    def handle(self, *args, **options):
        expired = invitations_expire_due()
        self.stdout.write(
            ngettext("Expired %(count)s invitation.", "Expired %(count)s invitations.", expired)
            % {"count": expired}
        )
