"""Daily: remove what erasures left in the database files (registered in RightsConfig.ready)."""

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.translation import gettext as _

from learnward.privacy.rights.erasure import erased_tables_vacuum


class Command(BaseCommand):
    help = (
        "PostgreSQL: VACUUM the tables erasures deleted or overwrote rows in since the last run, "
        "so the old row versions go. SQLite: checkpoint the WAL and truncate it."
    )

    def handle(self, *args, **options):
        tables = erased_tables_vacuum()
        if connection.vendor == "postgresql":
            listed = ", ".join(tables) if tables else _("none waiting")
            self.stdout.write(
                _("Vacuumed %(count)s table(s): %(tables)s")
                % {"count": len(tables), "tables": listed}
            )
        else:
            self.stdout.write(_("WAL checkpointed."))
