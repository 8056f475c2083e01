"""Full-text index for community posts (titles and bodies), in each database's own engine, as
"Ask the course" does for lesson passages (learnward/ai/migrations/0002_passage_fulltext.py).

SQLite: an FTS5 external-content table kept in step by triggers. PostgreSQL: a stored generated
tsvector column with a GIN index. Neither is in the model state.
"""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE VIRTUAL TABLE community_post_fts USING fts5(
        title, body,
        content='community_post', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER community_post_fts_insert AFTER INSERT ON community_post BEGIN
        INSERT INTO community_post_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END
    """,
    """
    CREATE TRIGGER community_post_fts_delete AFTER DELETE ON community_post BEGIN
        INSERT INTO community_post_fts(community_post_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END
    """,
    """
    CREATE TRIGGER community_post_fts_update AFTER UPDATE OF title, body ON community_post BEGIN
        INSERT INTO community_post_fts(community_post_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO community_post_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END
    """,
    "INSERT INTO community_post_fts(community_post_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS community_post_fts_update",
    "DROP TRIGGER IF EXISTS community_post_fts_delete",
    "DROP TRIGGER IF EXISTS community_post_fts_insert",
    "DROP TABLE IF EXISTS community_post_fts",
]
POSTGRES_CREATE = [
    """
    ALTER TABLE community_post ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX community_post_search ON community_post USING GIN (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS community_post_search",
    "ALTER TABLE community_post DROP COLUMN IF EXISTS search_vector",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_CREATE)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_CREATE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
