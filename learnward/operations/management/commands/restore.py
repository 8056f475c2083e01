"""learnward restore DIR: put a backup back, then erase again whoever was erased since."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from learnward.operations.archive import BackupError, passphrase_from_environment
from learnward.operations.services import backup_restore, restore_check


class Command(BaseCommand):
    help = (
        "Restore a backup made by `learnward backup`. Checks every file's checksum and the "
        "passphrase (LEARNWARD_BACKUP_PASSPHRASE) before changing anything, and refuses a site "
        "that already holds data unless --force is given. Then restores the database, files "
        "and issuer key, re-applies every erasure in the erasure journal, and verifies the "
        "audit trail. Stop the web and worker processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The backup folder (the one holding manifest.json).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a site that already holds data (its database, files and issuer key).",
        )

    def handle(self, *args, backup: str, force: bool, **options):
        say = self.stdout.write
        try:
            passphrase = passphrase_from_environment(for_backup=False)
            plan = restore_check(source=Path(backup), passphrase=passphrase, force=force, say=say)
            result = backup_restore(plan=plan, say=say)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        replay = result.replay
        say(
            f"Erasure journal: {replay.entries} entr{'y' if replay.entries == 1 else 'ies'}; "
            f"{replay.reapplied} erasure(s) re-applied to people this backup still held; "
            f"{replay.not_present} already absent."
        )
        problems = []
        if replay.address_differs:
            problems.append(
                f"{len(replay.address_differs)} journal entr(y/ies) name an account number that "
                "now has a different email address, so they were not applied (the number may "
                "belong to someone else). Ask the data protection officer to review: "
                + ", ".join(replay.address_differs)
            )
        if replay.other_key:
            problems.append(
                f"{len(replay.other_key)} journal entr(y/ies) were written under a different "
                "LEARNWARD_SECRET_KEY and cannot be matched; set the secret key in use then "
                "and run the restore again: " + ", ".join(replay.other_key)
            )
        for message in replay.unreadable:
            problems.append(f"{message}; it was skipped.")
        for alias, missing in result.s3_missing.items():
            if missing:
                problems.append(
                    f"{missing} object(s) of the {alias!r} store that the backup lists are "
                    "missing from the S3 bucket or changed since; recover them from the "
                    "bucket's versions."
                )
        if result.audit_fault is None:
            say(f"Audit trail intact: {result.audit_entries} entries verified.")
        else:
            problems.append(f"The audit trail does not verify: broken at {result.audit_fault}.")
        for problem in problems:
            self.stderr.write(_("Attention: %(problem)s") % {"problem": problem})
        if problems:
            raise CommandError(_("Restore finished, but needs attention (see above)."))
        self.stdout.write(self.style.SUCCESS("Restore finished."))
