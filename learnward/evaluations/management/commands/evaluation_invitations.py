from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from learnward.evaluations.services import evaluation_invitations_send


class Command(BaseCommand):
    help = (
        "Invite learners who recently completed a course to evaluate it (once per completion). "
        "Idempotent: run it daily from the scheduler."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=30, help="Look back this many days (default 30)."
        )

    def handle(self, *args, days: int, **options):
        count = evaluation_invitations_send(since_days=days)
        self.stdout.write(
            ngettext("%(count)s invitation sent", "%(count)s invitations sent", count)
            % {"count": count}
        )
