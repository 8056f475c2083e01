from django.core.management.base import BaseCommand

from learnward.certificates.models import Certificate
from learnward.core.text import person_name_problem

WHY = {
    "bidi": "a hidden character that changes the direction of the text",
    "line_break": "a line break",
    "control": "a control character",
    "invisible": "an invisible formatting character",
    "unprintable": "a character that cannot be printed",
}


class Command(BaseCommand):
    help = (
        "List the certificates whose printed name holds a character names may no longer have "
        "(controls, direction overrides, invisible characters), by code. A certificate is a "
        "snapshot, so nothing is changed: reissue each one listed with the corrected name "
        "(staff area, Certificates, Reissue). Exits 1 when any is found."
    )

    def handle(self, *args, **options):
        found = 0
        for code, name in Certificate.objects.values_list("code", "holder_name").iterator():
            problem = person_name_problem(name or "")
            if problem is not None:
                found += 1
                self.stdout.write(f"{code}: the name holds {WHY.get(problem, problem)}")
        if found:
            self.stdout.write(f"{found} certificate(s) to reissue with a corrected name.")
            raise SystemExit(1)
        self.stdout.write("Every certificate's printed name is clean.")
