import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from learnward.core.demo import load_demo


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help="Print the demo as one JSON document."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has users (used by make run).",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and get_user_model().objects.exists():
            self.stdout.write(_("Database already has users; demo not loaded."))
            return
        result = load_demo()
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, default=str))
            return
        self.stdout.write(_("Demo loaded. Logins (all at http://127.0.0.1:8000/accounts/login/):"))
        for user in result["users"]:
            roles = ", ".join(user["roles"]) or _("learner")
            self.stdout.write(f"  {user['email']:32} {user['password']:24} {roles}")
        for course in result["courses"]:
            self.stdout.write(
                "  "
                + _("course: %(title)s (%(path)s)")
                % {"title": course["title"], "path": f"/courses/{course['slug']}/"}
            )
        for cert in result["certificates"]:
            self.stdout.write(
                "  "
                + _("certificate: %(code)s (%(status)s)")
                % {"code": cert["code"], "status": cert["status"]}
            )
        if "cohort" in result:
            self.stdout.write(
                "  "
                + _(
                    "cohort: %(count)s demo learners for the provider dashboard "
                    "(/staff/insights/); they cannot sign in"
                )
                % {"count": result["cohort"]["learners"]}
            )
