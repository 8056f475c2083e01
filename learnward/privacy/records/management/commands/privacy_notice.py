import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from learnward.privacy.records.notice import build_notice, notice_publish_if_changed


class Command(BaseCommand):
    help = (
        "Publish a new version of the generated privacy notice if its content changed "
        "(run daily; the notice page does the same). --show prints the content instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--show", action="store_true", help="Print the notice as JSON.")

    def handle(self, *args, **options):
        if options["show"]:
            self.stdout.write(json.dumps(build_notice(), indent=2, ensure_ascii=False))
            return
        version = notice_publish_if_changed()
        self.stdout.write(
            _("Privacy notice version %(number)s, published %(published)s (%(hash)s).")
            % {
                "number": version.number,
                "published": f"{version.published_at:%Y-%m-%d %H:%M}",
                "hash": version.content_hash[:12],
            }
        )
