"""The ``learnward`` console script: this project's manage.py."""

import os
import sys

# Commands that make or restore the database: a missing table there is a real error, not a sign
# that setup was skipped.
_SETUP_COMMANDS = {"migrate", "deploy", "restore", "test", "makemigrations", "dbshell", "shell"}


def _database_not_ready() -> str | None:
    """Why the database cannot serve commands yet, in one line with what to run; or None."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.utils import DatabaseError

    connection = connections[DEFAULT_DB_ALIAS]
    try:
        tables = connection.introspection.table_names()
    except DatabaseError:
        return (
            "the database cannot be reached: check DATABASE_URL (or LEARNWARD_DATA_DIR for "
            "SQLite) and that the server is running"
        )
    if "django_migrations" not in tables:
        return (
            "the database has no tables yet: run `learnward migrate` (then `learnward demo` for "
            "demonstration data), or `make run` in a development checkout"
        )
    from learnward.core.health import migrations_applied

    if not migrations_applied():
        return "the database is missing migrations: run `learnward migrate` (or `learnward deploy`)"
    return None


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnward.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # Import settings first so an unsafe configuration stops with one clear line.
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - forces the settings module to load
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"learnward: refusing to start: {exc}\n")
        sys.exit(2)
    # Commands speak the operator's language when LEARNWARD_OPERATOR_LANGUAGE names one of the
    # site's languages (docs/translation.md); otherwise the default language.
    operator_language = os.environ.get("LEARNWARD_OPERATOR_LANGUAGE", "")
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        # The SQLite file's folder, so `learnward migrate` works in a fresh checkout.
        os.makedirs(os.path.dirname(os.fspath(database["NAME"])) or ".", exist_ok=True)
    from django.db.utils import DatabaseError

    if operator_language:
        import django
        from django.utils import translation

        django.setup()
        from learnward.core.i18n import supported_language

        translation.activate(supported_language(operator_language))
    try:
        execute_from_command_line(sys.argv)
    except DatabaseError:
        command = sys.argv[1] if len(sys.argv) > 1 else ""
        reason = None if command in _SETUP_COMMANDS else _database_not_ready()
        if reason is None:
            raise
        sys.stderr.write(f"learnward: {reason}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
