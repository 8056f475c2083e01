"""Upgrading a database made by the single ``privacy`` app (commit ba38400) to the privacy.* apps.

The old tree is extracted from git; with it first on ``PYTHONPATH`` a fresh database (SQLite in a
temporary data directory, and a fresh PostgreSQL database when LEARNWARD_TEST_POSTGRES_URL is
set) is migrated and given the demo plus the privacy data the demo lacks (tests/privacy/
upgrade_helper.py ``seed``). The current code then migrates the same database, and the test
compares what the old code saw with what the new code sees: no table loses rows, the moved rows
read the same through the new models, content types and permissions followed their models,
queued tasks and retention periods still point at something, certificates and their signed
credentials still verify, and the audit chain and the privacy registry check still pass.

A third scenario (SQLite) first runs a partial ``migrate privacy_consent`` with the new code,
whose post_migrate creates content types under the new labels before the hand-over runs.

Every finding is collected and reported together. Each scenario takes about half a minute.
"""

from __future__ import annotations

import importlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from learnward.privacy.history import MOVED_MODELS, NEW_LABEL
from tests.processes import clean_environment, run_checked

OLD_COMMIT = "ba3840021ee66c073b2e270e7b7ed5a935c73bf3"  # the last commit with one privacy app
HERE = Path(__file__).resolve().parent
HELPER = HERE / "upgrade_helper.py"
NEW_APPS = tuple(MOVED_MODELS)
TIMEOUT = 600


def _repo_root() -> Path:
    found = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--show-toplevel"],
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0:
        pytest.fail(
            f"the upgrade test needs the git repository this file is in: {found.stderr.strip()}"
        )
    return Path(found.stdout.strip())


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def old_tree():
    """The tree of the last commit before the split, extracted into a temporary directory."""
    repo = _repo_root()
    present = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "-e", f"{OLD_COMMIT}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    if present.returncode != 0:
        pytest.fail(
            f"commit {OLD_COMMIT[:7]} (the single privacy app) is not in {repo}: the upgrade "
            "test needs the repository's full history. In a shallow clone run "
            "`git fetch --unshallow` (CI: check out with full history, e.g. fetch-depth: 0)."
        )
    tree = Path(tempfile.mkdtemp(prefix="learnward-ba38400-"))
    try:
        archive = subprocess.Popen(
            ["git", "-C", str(repo), "archive", OLD_COMMIT], stdout=subprocess.PIPE
        )
        subprocess.run(["tar", "-x", "-C", str(tree)], stdin=archive.stdout, check=True)
        archive.stdout.close()
        assert archive.wait() == 0, "git archive failed"
        assert (tree / "learnward" / "privacy" / "migrations" / "0001_initial.py").exists()
        assert not (tree / "learnward" / "privacy" / "history.py").exists()
        yield tree
    finally:
        shutil.rmtree(tree, ignore_errors=True)


def _base_env(data_dir: Path) -> dict[str, str]:
    """This process's environment without any Learnward, Django or database setting of its own,
    then a known configuration (the same for the old and the new code)."""
    return clean_environment(
        DJANGO_SETTINGS_MODULE="learnward.settings",
        LEARNWARD_ENV="test",
        LEARNWARD_DATA_DIR=str(data_dir),
        LEARNWARD_BASE_URL="http://127.0.0.1:8000",
        LEARNWARD_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )


@pytest.fixture(params=["sqlite", "sqlite-partial-migrate-first", "postgresql"])
def database(request):
    """(environment, work directory, scenario) for a fresh database: a SQLite file in a
    temporary data directory, or a new PostgreSQL database on the LEARNWARD_TEST_POSTGRES_URL
    server. In the partial scenario the new code runs ``migrate privacy_consent`` first."""
    work = Path(tempfile.mkdtemp(prefix="learnward-upgrade-"))
    admin_url = None
    name = f"learnward_upgrade_{secrets.token_hex(6)}"
    try:
        (work / "data").mkdir()
        env = _base_env(work / "data")
        if request.param == "postgresql":
            admin_url = os.environ.get("LEARNWARD_TEST_POSTGRES_URL")
            if not admin_url:
                pytest.skip("LEARNWARD_TEST_POSTGRES_URL is not set")
            import psycopg

            with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as db:
                db.execute(f'CREATE DATABASE "{name}"')
            env["DATABASE_URL"] = urlsplit(admin_url)._replace(path=f"/{name}").geturl()
        yield env, work, request.param
    finally:
        if admin_url:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)


def _run(env, cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run_checked([sys.executable, *args], cwd=cwd, env=env, timeout=TIMEOUT, check=check)


def _helper(env, tree: Path, *args: str) -> subprocess.CompletedProcess:
    """Run upgrade_helper.py with ``tree`` first on the path; check it imported that tree."""
    done = _run(env, tree, str(HELPER), *args, "--expect-root", str(tree / "learnward"))
    where = [line for line in done.stdout.splitlines() if line.startswith("LEARNWARD_FILE=")]
    assert where == [f"LEARNWARD_FILE={tree / 'learnward' / '__init__.py'}"], done.stdout
    return done


def _new_key(old_key: str) -> str:
    """A model label or retention rule key of the old app ("privacy.Breach") as it is now."""
    app, _, name = old_key.partition(".")
    if app == "privacy" and name.lower() in NEW_LABEL:
        return f"{NEW_LABEL[name.lower()]}.{name}"
    return old_key


class Findings:
    """Collects every failed check, so one run reports everything the upgrade broke."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def check(self, ok: bool, message: str) -> None:
        if not ok:
            self.items.append(message)

    def equal(self, got, expected, message: str) -> None:
        if got != expected:
            self.items.append(f"{message}: expected {expected!r}, got {got!r}")


# --- The comparisons --------------------------------------------------------------------------


def _check_rows_kept(before, after, findings: Findings) -> None:
    for table, count in before["tables"].items():
        now = after["tables"].get(table)
        findings.check(now is not None, f"table {table} ({count} rows) is gone")
        findings.check(now is None or now >= count, f"table {table} lost rows: {count} -> {now}")


def _check_content_types(before, after, findings: Findings) -> None:
    old = {tuple(v): int(k) for k, v in before["content_types"].items()}
    new = {tuple(v): int(k) for k, v in after["content_types"].items()}
    findings.equal(
        {model for app, model in old if app == "privacy"},
        set(NEW_LABEL),
        "the old privacy app's models (content types) vs learnward/privacy/history.py",
    )
    for model, label in NEW_LABEL.items():
        old_id = old.get(("privacy", model))
        findings.equal(
            new.get((label, model)), old_id, f"content type of {label}.{model} (the old id)"
        )
    findings.equal(
        sorted(model for app, model in new if app == "privacy"),
        [],
        "content types still labelled privacy",
    )
    lost = set(before["content_types"]) - set(after["content_types"])
    findings.check(not lost, f"content types deleted: {sorted(lost)}")


def _check_permissions(before, after, findings: Findings) -> None:
    for pk, (ct, codename) in before["permissions"].items():
        findings.equal(after["permissions"].get(pk), [ct, codename], f"permission {pk}")
    ct_label = {int(k): v[0] for k, v in after["content_types"].items()}
    privacy_ct = {int(k) for k, v in before["content_types"].items() if v[0] == "privacy"}
    for group, perms in before["groups"].items():
        now = set(after["groups"].get(group, []))
        missing = sorted(before["permissions"][str(p)][1] for p in set(perms) - now)
        findings.check(not missing, f"group {group!r} lost permissions {missing}")
        moved = [p for p in perms if before["permissions"][str(p)][0] in privacy_ct]
        labels = {ct_label[before["permissions"][str(p)][0]] for p in moved}
        findings.check(
            labels <= set(NEW_APPS), f"group {group!r}: privacy permissions now on {labels}"
        )
    findings.check(
        any(
            before["permissions"][str(p)][0] in privacy_ct
            for perms in before["groups"].values()
            for p in perms
        ),
        "no group had a privacy permission before the upgrade: nothing was tested",
    )
    findings.equal(after["user_permissions"], before["user_permissions"], "users' own permissions")
    for email, perms in after["user_permissions"].items():
        labels = {ct_label[after["permissions"][str(p)][0]] for p in perms}
        findings.check("privacy" not in labels, f"{email}'s own permissions still on privacy")
    findings.equal(
        {k: v for k, v in after["admin_log"].items() if k in before["admin_log"]},
        before["admin_log"],
        "admin log entries' content types",
    )


def _check_moved_rows(before, after, findings: Findings) -> None:
    for table, old in before["privacy_rows"].items():
        new = after["privacy_rows"].get(table)
        if new is None:
            findings.check(False, f"no model reads {table} any more")
            continue
        findings.equal(new["label"], _new_key(old["label"]), f"model on {table}")
        for kind in ("raw", "orm"):
            findings.equal(sorted(new[kind]), sorted(old[kind]), f"{table}: primary keys ({kind})")
            for pk, row in old[kind].items():
                now = new[kind].get(pk, {})
                for column, value in row.items():
                    if table in {"privacy_retentionoverride", "privacy_retentionperiodstate"} and (
                        column == "rule"
                    ):
                        value = _new_key(value)  # a rule's key is its model's label
                    if table == "privacy_noticeversion" and column == "content" and column in now:
                        # The notice now exists in each language: privacy_records 0002 keyed
                        # an old version's English content by its language.
                        def parsed(v):
                            return json.loads(v) if isinstance(v, str) else v

                        findings.equal(
                            parsed(now[column]),
                            {"en-gb": parsed(value)},
                            f"{table} #{pk} {column} ({kind})",
                        )
                        continue
                    if column in now:
                        findings.equal(now[column], value, f"{table} #{pk} {column} ({kind})")
    for table in (
        "privacy_consentrecord",
        "privacy_rightsrequest",
        "privacy_processor",
        "privacy_noticeversion",
        "privacy_retentionrun",
        "privacy_retentionoverride",
        "privacy_breach",
    ):
        findings.check(
            bool(before["privacy_rows"].get(table, {}).get("raw")),
            f"the old database had no rows in {table}: that sample was not tested",
        )


def _check_retention_periods(before, after, findings: Findings) -> None:
    for key, period in before["retention_periods"].items():
        findings.equal(
            after["retention_periods"].get(_new_key(key)),
            period,
            f"retention period in force for {key} (now {_new_key(key)})",
        )
    findings.check(
        ["96", "admin"] == [str(x) for x in before["retention_periods"]["privacy.Breach"]],
        "the old database's admin-set breach period was not recorded: nothing was tested",
    )


def _check_tasks(before, after, findings: Findings) -> None:
    findings.equal(sorted(after["tasks"]), sorted(before["tasks"]), "queued tasks (ids)")
    findings.check(
        any(t["path"].startswith("learnward.privacy.tasks.") for t in before["tasks"].values()),
        "no task was queued under learnward.privacy.tasks before: nothing was tested",
    )
    for pk, task in after["tasks"].items():
        findings.check(task["importable"], f"queued task {pk}: {task['path']} does not import")
        old = before["tasks"].get(pk, {})
        findings.equal(task["status"], old.get("status"), f"queued task {pk} status")


def _check_certificates(before, after, findings: Findings) -> None:
    findings.check(bool(before["certificates"]), "the old database had no certificates")
    findings.equal(sorted(after["certificates"]), sorted(before["certificates"]), "certificates")
    verdicts = set()
    for code, old in before["certificates"].items():
        new = after["certificates"].get(code, {})
        findings.equal(new.get("outcome"), old["outcome"], f"certificate {code}: verification")
        old_record, new_record = old["record"] or {}, new.get("record") or {}
        findings.equal(
            {k: new_record.get(k) for k in old_record},
            old_record,
            f"certificate {code}: what a verifier sees",
        )
        verdicts.add(old["fresh_verdict"])
        findings.equal(
            new.get("old_file_verdict"),
            old["fresh_verdict"],
            f"certificate {code}: the credential signed before the upgrade "
            f"({new.get('old_file_report')})",
        )
        findings.equal(
            new.get("fresh_verdict"), old["fresh_verdict"], f"certificate {code}: new credential"
        )
    findings.check(0 in verdicts, "no certificate's credential was valid before: nothing tested")


def _check_probe(after, findings: Findings) -> None:
    probe = after["probe"]
    for problem in probe["constraint_problems"]:
        findings.check(False, f"database constraint: {problem}")
    for label, ids in probe["created"].items():
        findings.check(
            ids["id"] > ids["max_old_id"],
            f"a new {label} got id {ids['id']}, not above the old rows' {ids['max_old_id']}",
        )


# --- The test ---------------------------------------------------------------------------------


def test_upgrade_from_single_privacy_app(old_tree, database):
    env, work, scenario = database
    old_env = {**env, "PYTHONPATH": str(old_tree)}
    new_env = {**env, "PYTHONPATH": str(ROOT)}
    credentials = work / "credentials"
    credentials.mkdir()

    # The old code: a fresh database, the demo, the privacy data the demo lacks.
    migrated = _run(old_env, old_tree, "-m", "django", "migrate", "--noinput")
    assert "Applying privacy.0001_initial... OK" in migrated.stdout, migrated.stdout
    assert "privacy_consent" not in migrated.stdout, "the old migrate ran the new code"
    _run(old_env, old_tree, "-m", "learnward.cli", "demo")
    _helper(old_env, old_tree, "seed")
    for command in (["audit_verify"], ["privacy_registry", "--check"]):
        _run(old_env, old_tree, "-m", "learnward.cli", *command)  # passes before the upgrade
    _helper(old_env, old_tree, "snapshot", str(work / "before.json"), str(credentials))
    before = json.loads((work / "before.json").read_text())

    # The new code migrates the same database.
    output = ""
    if scenario == "sqlite-partial-migrate-first":
        # Its post_migrate creates the content types and permissions of every model under the
        # new labels, and gives the staff roles those permissions; then the full migrate.
        output += _run(
            new_env, ROOT, "-m", "learnward.cli", "migrate", "privacy_consent", "--noinput"
        ).stdout
        strays = _run(
            new_env,
            ROOT,
            "-m",
            "learnward.cli",
            "shell",
            "-c",
            "from django.contrib.contenttypes.models import ContentType as C;"
            # The moved models only: the new apps may have gained models since the move.
            f"print(C.objects.filter(app_label__in={list(NEW_APPS)!r},"
            f" model__in={list(NEW_LABEL)!r}).count())",
        )
        assert int(strays.stdout.split()[-1]) == len(NEW_LABEL), strays.stdout
    output += _run(new_env, ROOT, "-m", "learnward.cli", "migrate", "--noinput").stdout
    for migration in [f"{app}.0001_initial" for app in NEW_APPS] + [
        "privacy.0002_hand_over_to_privacy_apps"
    ]:
        assert f"Applying {migration}... OK" in output, output
    _helper(new_env, ROOT, "snapshot", str(work / "after.json"), str(credentials), "--after")
    after = json.loads((work / "after.json").read_text())
    assert (
        before["vendor"] == after["vendor"] == ("postgresql" if "DATABASE_URL" in env else "sqlite")
    )

    findings = Findings()
    _check_rows_kept(before, after, findings)
    _check_content_types(before, after, findings)
    _check_permissions(before, after, findings)
    _check_moved_rows(before, after, findings)
    _check_retention_periods(before, after, findings)
    _check_tasks(before, after, findings)
    _check_certificates(before, after, findings)
    _check_probe(after, findings)

    def learnward(*args: str) -> subprocess.CompletedProcess:
        return _run(new_env, ROOT, "-m", "learnward.cli", *args, check=False)

    for args in (
        ["migrate", "--check"],
        ["makemigrations", "--check", "--dry-run", "privacy", "privacy_registry", *NEW_APPS],
        ["audit_verify"],
        ["privacy_registry", "--check"],
    ):
        done = learnward(*args)
        findings.check(
            done.returncode == 0,
            f"`learnward {' '.join(args)}` exited {done.returncode}: "
            f"{(done.stdout + done.stderr)[-1500:]}",
        )
    plan = learnward("showmigrations", "--plan")
    findings.check(plan.returncode == 0 and "[ ]" not in plan.stdout, "unapplied migrations left")

    assert not findings.items, "the upgrade broke:\n- " + "\n- ".join(findings.items)


def test_hand_over_depends_on_named_migrations():
    """``__latest__`` would make an applied 0002 depend on whichever migration django-tasks-db
    ships last: after upgrading that package, ``migrate`` stops with
    InconsistentMigrationHistory."""
    module = importlib.import_module("learnward.privacy.migrations.0002_hand_over_to_privacy_apps")
    loose = [dep for dep in module.Migration.dependencies if dep[1] == "__latest__"]
    assert not loose, f"name the migration depended on, not {loose}"
