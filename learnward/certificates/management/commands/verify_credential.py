"""learnward verify_credential FILE: check an Open Badges credential this site issued.

Exit codes: 0 valid, 1 invalid (altered, not signed by this site, or not a credential),
2 unreadable file, 3 revoked, 4 expired or not yet valid.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnward.certificates.credentials.verify import Verdict, verify_credential

SUMMARY = {
    Verdict.VALID: gettext_lazy("VALID: the credential is genuine, current and not revoked."),
    Verdict.INVALID: gettext_lazy("INVALID: do not rely on this credential."),
    Verdict.REVOKED: gettext_lazy("REVOKED: the issuer has revoked this credential."),
    Verdict.NOT_CURRENT: gettext_lazy("NOT CURRENT: the credential is expired or not valid yet."),
}


class Command(BaseCommand):
    help = (
        "Check a signed Open Badges 3.0 credential issued by this site: its eddsa-rdfc-2022 "
        "proof, its revocation status in the local status list, and its validity dates. "
        "Exit codes: 0 valid, 1 invalid, 2 unreadable, 3 revoked, 4 expired or not yet valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the credential JSON file ('-' for stdin).")

    def handle(self, *args, file: str, **options):
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
            credential = json.loads(text)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(
                _("Cannot read %(file)s as JSON: %(error)s") % {"file": file, "error": exc},
                returncode=int(Verdict.UNREADABLE),
            ) from exc
        report = verify_credential(credential)
        width = max((len(label) for label, _text in report.lines), default=0) + 1
        for label, text in report.lines:
            self.stdout.write(f"{label + ':':<{width}} {text}")
        if report.verdict != Verdict.VALID:
            raise CommandError(str(SUMMARY[report.verdict]), returncode=int(report.verdict))
        self.stdout.write(self.style.SUCCESS(str(SUMMARY[Verdict.VALID])))
