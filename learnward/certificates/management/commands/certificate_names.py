from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from learnward.certificates.models import Certificate
from learnward.core.text import person_name_problem

WHY = {
    "bidi": gettext_lazy("a hidden character that changes the direction of the text"),
    "line_break": gettext_lazy("a line break"),
    "control": gettext_lazy("a control character"),
    "invisible": gettext_lazy("an invisible formatting character"),
    "unprintable": gettext_lazy("a character that cannot be printed"),
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
                self.stdout.write(
                    _("%(code)s: the name holds %(problem)s")
                    % {"code": code, "problem": WHY.get(problem, problem)}
                )
        if found:
            self.stdout.write(
                ngettext(
                    "%(count)s certificate to reissue with a corrected name.",
                    "%(count)s certificates to reissue with a corrected name.",
                    found,
                )
                % {"count": found}
            )
            raise SystemExit(1)
        self.stdout.write(_("Every certificate's printed name is clean."))
