"""``learnward exams_release``: record the completions of exam results whose release time has
come (daily; idempotent)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Record the course completions that released exam results lead to."

    def handle(self, *args, **options) -> None:
        from learnward.exams.services import exam_results_release_due

        done = exam_results_release_due()
        self.stdout.write(_("Exam sittings released: %(count)s") % {"count": done})
