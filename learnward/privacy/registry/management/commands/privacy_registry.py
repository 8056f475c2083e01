import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rich.console import Console
from rich.table import Table

from learnward.core.i18n import resolved
from learnward.privacy import registry
from learnward.privacy.registry.purposes import PURPOSES


class Command(BaseCommand):
    help = "List the privacy registry, or --check that every field of every model is declared."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit non-zero, naming each model and field that is neither declared nor marked.",
        )

    def handle(self, *args, **options):
        if options["check"]:
            problems = registry.check()
            if problems:
                for problem in problems:
                    self.stderr.write(str(problem))
                raise CommandError(
                    ngettext(
                        "%(count)s registry problem: declare it in privacy.py",
                        "%(count)s registry problems: declare them in privacy.py",
                        len(problems),
                    )
                    % {"count": len(problems)}
                )
            count = len(registry.declarations())
            self.stdout.write(
                _("Registry complete: %(count)s models declared, every field covered.")
                % {"count": count}
            )
            return
        data = [registry.as_dict(d) for d in registry.declarations()]
        if options["format"] == "json":
            purposes = {
                key: {
                    "name": p.name,
                    "lawful_basis": p.basis.value,
                    "art9_condition": p.art9_condition or None,
                    "description": p.description,
                    "recipients": p.all_recipients(),
                }
                for key, p in PURPOSES.items()
            }
            self.stdout.write(
                json.dumps({"purposes": resolved(purposes), "models": data}, indent=2)
            )
            return
        console = Console(file=self.stdout, width=160)
        table = Table(title=_("Privacy registry"))
        for column in (
            _("Model"),
            _("Field"),
            _("Category"),
            _("Purposes"),
            _("Retention"),
            _("On erasure"),
        ):
            table.add_column(column)
        for item in data:
            first = True
            for name, info in item["fields"].items():
                if not info["personal"]:
                    continue
                table.add_row(
                    item["model"] if first else "",
                    name,
                    (
                        _("%(category)s (special)") % {"category": info["category"]}
                        if info["special"]
                        else info["category"]
                    ),
                    ", ".join(item["purposes"]) if first else "",
                    item["retention"]["description"] if first else "",
                    item["erasure"]["action"] if first else "",
                )
                first = False
        console.print(table)
