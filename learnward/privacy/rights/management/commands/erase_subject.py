from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from learnward.privacy.registry.erasure import erasure_plan
from learnward.privacy.rights.erasure import subject_erase


class Command(BaseCommand):
    help = (
        "Show (--dry-run) or carry out (--yes) the erasure of a data subject, as the privacy "
        "registry declares it, in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The data subject's email address.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the plan; change nothing."
        )
        parser.add_argument("--yes", action="store_true", help="Carry out the plan.")
        parser.add_argument(
            "--reason",
            default="Erasure request handled by staff",
            help="Recorded in the audit trail; no names or addresses.",
        )

    def _print(self, plan) -> None:
        for line in plan.lines():
            self.stdout.write(line)

    def handle(self, *args, **options):
        email = options["email"].strip()
        if options["dry_run"] == options["yes"]:
            raise CommandError(_("Give exactly one of --dry-run (show the plan) or --yes (erase)."))
        plan = erasure_plan(email=email)
        if not plan.found:
            raise CommandError(_("Nothing is held under that email address."))
        if options["dry_run"]:
            self.stdout.write(_("Erasure plan (nothing has been changed):"))
            self._print(plan)
            return
        plan = subject_erase(email=email, actor=None, reason=options["reason"])
        self.stdout.write(_("Erased:"))
        self._print(plan)
