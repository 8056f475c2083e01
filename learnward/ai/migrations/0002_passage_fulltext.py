"""Full-text index for lesson passages, in each database's own engine.

SQLite: an FTS5 external-content table kept in step by triggers (so no code path can forget it).
PostgreSQL: a stored generated tsvector column with a GIN index. Neither is in the model state.
"""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE VIRTUAL TABLE ai_lessonpassage_fts USING fts5(
        title, heading, text,
        content='ai_lessonpassage', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER ai_lessonpassage_fts_insert AFTER INSERT ON ai_lessonpassage BEGIN
        INSERT INTO ai_lessonpassage_fts(rowid, title, heading, text)
        VALUES (new.id, new.title, new.heading, new.text);
    END
    """,
    """
    CREATE TRIGGER ai_lessonpassage_fts_delete AFTER DELETE ON ai_lessonpassage BEGIN
        INSERT INTO ai_lessonpassage_fts(ai_lessonpassage_fts, rowid, title, heading, text)
        VALUES ('delete', old.id, old.title, old.heading, old.text);
    END
    """,
    """
    CREATE TRIGGER ai_lessonpassage_fts_update AFTER UPDATE ON ai_lessonpassage BEGIN
        INSERT INTO ai_lessonpassage_fts(ai_lessonpassage_fts, rowid, title, heading, text)
        VALUES ('delete', old.id, old.title, old.heading, old.text);
        INSERT INTO ai_lessonpassage_fts(rowid, title, heading, text)
        VALUES (new.id, new.title, new.heading, new.text);
    END
    """,
    # Index whatever rows exist already.
    "INSERT INTO ai_lessonpassage_fts(ai_lessonpassage_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS ai_lessonpassage_fts_update",
    "DROP TRIGGER IF EXISTS ai_lessonpassage_fts_delete",
    "DROP TRIGGER IF EXISTS ai_lessonpassage_fts_insert",
    "DROP TABLE IF EXISTS ai_lessonpassage_fts",
]

POSTGRES_CREATE = [
    """
    ALTER TABLE ai_lessonpassage ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(heading, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(text, '')), 'C')
    ) STORED
    """,
    # Uncompressed and inline: a question that shares a common word with most passages has to
    # test and rank every one of them, and decompressing each tsvector was most of that time
    # (about 3x). Passages are capped in size (learnward.ai.chunking), so the row always fits;
    # the passage text, read for the top few rows only, is what TOAST compresses instead.
    "ALTER TABLE ai_lessonpassage ALTER COLUMN search_vector SET STORAGE PLAIN",
    "CREATE INDEX ai_passage_search ON ai_lessonpassage USING GIN (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS ai_passage_search",
    "ALTER TABLE ai_lessonpassage DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):
    def apply(apps, schema_editor):
        for sql in statements:
            schema_editor.execute(sql)

    return apply


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(SQLITE_CREATE)(apps, schema_editor)
    elif vendor == "postgresql":
        _run(POSTGRES_CREATE)(apps, schema_editor)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(SQLITE_DROP)(apps, schema_editor)
    elif vendor == "postgresql":
        _run(POSTGRES_DROP)(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("ai", "0001_initial")]

    # RunPython that only executes SQL for the connection's vendor: the brief's "RunSQL when
    # vendor == ..." without a second migration per database.
    operations = [migrations.RunPython(forwards, backwards)]
