"""learnward backup --out DIR: a consistent copy of the site, with checksums."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from learnward.operations.archive import BackupError, passphrase_from_environment
from learnward.operations.services import backup_create, human_size


class Command(BaseCommand):
    help = (
        "Back up the site into a new or empty folder: the database (SQLite's online backup, or "
        "pg_dump on PostgreSQL), uploaded files and export archives (or, in S3, the list of "
        "their objects), the certificate issuer key encrypted with LEARNWARD_BACKUP_PASSPHRASE, "
        "and manifest.json with every file's SHA-256 checksum. The erasure journal is not "
        "included: it must outlive restores."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", required=True, help="A new or empty folder to write the backup into."
        )

    def handle(self, *args, out: str, **options):
        try:
            passphrase = passphrase_from_environment(for_backup=True)
            result = backup_create(out=Path(out), passphrase=passphrase, say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {result.out}: {result.files} file(s), {human_size(result.size)}, "
                "each with its checksum in manifest.json."
            )
        )
