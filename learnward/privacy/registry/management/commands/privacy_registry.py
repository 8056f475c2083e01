import json

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

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
                    f"{len(problems)} registry problem(s): declare them in privacy.py"
                )
            count = len(registry.declarations())
            self.stdout.write(f"Registry complete: {count} models declared, every field covered.")
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
            self.stdout.write(json.dumps({"purposes": purposes, "models": data}, indent=2))
            return
        console = Console(file=self.stdout, width=160)
        table = Table(title="Privacy registry")
        for column in ("Model", "Field", "Category", "Purposes", "Retention", "On erasure"):
            table.add_column(column)
        for item in data:
            first = True
            for name, info in item["fields"].items():
                if not info["personal"]:
                    continue
                table.add_row(
                    item["model"] if first else "",
                    name,
                    info["category"] + (" (special)" if info["special"] else ""),
                    ", ".join(item["purposes"]) if first else "",
                    item["retention"]["description"] if first else "",
                    item["erasure"]["action"] if first else "",
                )
                first = False
        console.print(table)
