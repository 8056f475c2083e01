"""Rebuild every lesson's passages for "Ask the course" (after a bulk load or a restore)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from learnward.ai.index import passages_rebuild_all


class Command(BaseCommand):
    help = "Rebuild the lesson passages that 'Ask the course' searches. Safe to run any time."

    def handle(self, *args, **options):
        total = passages_rebuild_all()
        self.stdout.write(_("Rebuilt %(total)s passages.") % {"total": total})
