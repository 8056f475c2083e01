from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.privacy.registry.export import export_subject_to


class Command(BaseCommand):
    help = "Write a data subject's archive (ZIP) to a file, for requests made by post or email."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The account's email address.")
        parser.add_argument("--out", required=True, help="Where to write the ZIP file.")
        parser.add_argument(
            "--force", action="store_true", help="Overwrite the output file if it exists."
        )

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError(_("No account has that email address."))
        out = Path(options["out"])
        if out.exists() and not options["force"]:
            raise CommandError(_("%(path)s exists; use --force to overwrite it.") % {"path": out})
        if not out.parent.is_dir():
            raise CommandError(_("The folder %(path)s does not exist.") % {"path": out.parent})
        partial = out.with_name(out.name + ".partial")
        try:
            with open(partial, "wb") as handle:
                manifest = export_subject_to(user=user, fileobj=handle)
            partial.replace(out)
        finally:
            partial.unlink(missing_ok=True)
        with transaction.atomic():
            audit_record(
                action=Action.EXPORT_GENERATED,
                actor=None,
                subject=user,
                payload={"channel": "staff_command", "bytes": out.stat().st_size},
            )
        out.chmod(0o600)
        rows = sum(f.get("rows", 0) for f in manifest["files"] if f["name"].endswith(".json"))
        self.stdout.write(
            _("Wrote %(path)s: %(files)s files, %(rows)s rows.")
            % {"path": out, "files": len(manifest["files"]), "rows": rows}
        )
