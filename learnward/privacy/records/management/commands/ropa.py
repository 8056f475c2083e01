import json

from django.core.management.base import BaseCommand

from learnward.privacy.records.ropa import build_ropa, ropa_csv, ropa_html


class Command(BaseCommand):
    help = "Print the records of processing (UK GDPR Art. 30), generated from the registry."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "html", "json"], default="json")

    def handle(self, *args, **options):
        ropa = build_ropa()
        fmt = options["format"]
        if fmt == "json":
            self.stdout.write(json.dumps(ropa, indent=2, ensure_ascii=False))
        elif fmt == "csv":
            self.stdout.write(ropa_csv(ropa), ending="")
        else:
            self.stdout.write(ropa_html(ropa))
