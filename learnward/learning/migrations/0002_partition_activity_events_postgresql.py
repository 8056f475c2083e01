"""On PostgreSQL, partition learning_activityevent by month on occurred_at.

Retention then drops whole monthly partitions past their period instead of deleting rows. The
table keeps its columns, indexes, foreign keys and id sequence; its primary key becomes
(id, occurred_at), as PostgreSQL requires of a partitioned table. Django still treats ``id`` as
the primary key, which stays unique because every id comes from the one sequence.

On SQLite this migration does nothing: retention deletes activity events in batches there.
It rewrites the table, so on a large existing install run it in a maintenance window; see
docs/operator-guide.md, "Partitioning activity events on an existing install".
"""

from django.conf import settings
from django.db import migrations

TABLE = "learning_activityevent"
COLUMN = "occurred_at"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from learnward.core.partitions import convert_to_partitioned

    convert_to_partitioned(
        TABLE,
        COLUMN,
        months_ahead=getattr(settings, "RETENTION_PARTITION_MONTHS_AHEAD", 3),
        connection=schema_editor.connection,
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from learnward.core.partitions import convert_to_plain

    convert_to_plain(TABLE, COLUMN, connection=schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
