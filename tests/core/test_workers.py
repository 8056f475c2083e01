"""A task whose worker died is run again, once, by a live worker (learnward.core.workers)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from learnward.core.workers import _lock_key, requeue_orphaned_tasks
from tests.processes import LEARNWARD, clean_environment


def _running(worker_id: str, *, started_seconds_ago: float) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=started_seconds_ago),
        args_kwargs={"args": [], "kwargs": {}},
        task_path="learnward.core.tasks.run_periodic_jobs",
        backend_name="default",
        run_after=timezone.now(),
        worker_ids=[worker_id],
    )


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _status(task) -> str:
    task.refresh_from_db()
    return task.status


@pytest.mark.django_db
@pytest.mark.skipif("os.environ.get('DATABASE_URL')", reason="SQLite's liveness check")
def test_sqlite_requeues_a_task_whose_process_is_gone_and_nothing_else():
    host = socket.gethostname()[:40]
    dead = _running(f"{host}:{_dead_pid()}:aa", started_seconds_ago=31)
    alive = _running(f"{host}:{os.getpid()}:bb", started_seconds_ago=3600)
    elsewhere = _running(f"another-host:{_dead_pid()}:cc", started_seconds_ago=3600)
    just_started = _running(f"{host}:{_dead_pid()}:dd", started_seconds_ago=29)
    not_ours = _running("a-random-id-from-db_worker", started_seconds_ago=3600)

    assert requeue_orphaned_tasks() == 1
    assert _status(dead) == TaskResultStatus.READY
    dead.refresh_from_db()
    assert dead.started_at is None
    assert {_status(t) for t in (alive, elsewhere, just_started, not_ours)} == {"RUNNING"}
    assert requeue_orphaned_tasks() == 0  # nothing twice


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("not os.environ.get('DATABASE_URL')", reason="PostgreSQL's advisory locks")
def test_postgresql_requeues_a_task_once_its_workers_connection_is_gone():
    import psycopg

    task = _running("any:1:aa", started_seconds_ago=60)
    recent = _running("any:1:bb", started_seconds_ago=5)
    params = connection.get_connection_params()
    holder = psycopg.connect(**params, autocommit=True)
    holder.execute("SELECT pg_advisory_lock(%s)", [_lock_key(task.id)])
    assert requeue_orphaned_tasks() == 0  # the lease is held: its worker is alive
    assert _status(task) == "RUNNING"
    holder.close()  # the worker's connection goes, as when its process is killed
    assert requeue_orphaned_tasks() == 1
    assert _status(task) == "READY"
    assert _status(recent) == "RUNNING"


def test_lock_keys_are_signed_64_bit_and_distinct():
    import uuid

    keys = {_lock_key(uuid.uuid4()) for _ in range(2000)}
    assert len(keys) == 2000
    assert all(-(2**63) <= key < 2**63 for key in keys)
    assert any(key < 0 for key in keys)


def _worker(env: dict, log: Path) -> subprocess.Popen:
    with log.open("a") as out:
        return subprocess.Popen(
            [
                *LEARNWARD,
                "worker",
                "--interval",
                "0.1",
                "--no-startup-delay",
                "--requeue-interval",
                "0.5",
                "--requeue-after",
                "1",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_costs_neither_the_email_nor_a_second_copy(
    make_user, smtp_server, tmp_path, settings
):
    """The worker is killed while the SMTP server holds its message unanswered; a second worker
    runs the task again and the learner gets exactly one email."""
    from learnward.accounts.tasks import send_verification_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = make_user(email="new.learner@example.test", display_name="New Learner")
    type(user).objects.filter(pk=user.pk).update(email_verified_at=None)
    result = send_verification_email.enqueue(user.pk)

    database = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{database['NAME']}"
    else:
        url = (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        )
    env = clean_environment(
        DATABASE_URL=url,
        LEARNWARD_DATA_DIR=str(tmp_path),
        LEARNWARD_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        LEARNWARD_EMAIL_PORT=str(smtp_server.port),
        LEARNWARD_EMAIL_TIMEOUT="60",
    )
    log = tmp_path / "worker.log"
    waiting = smtp_server.hold()
    first = _worker(env, log)
    try:
        assert waiting.wait(60), log.read_text()
        row = DBTaskResult.objects.get(pk=result.id)
        assert row.status == "RUNNING"
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    smtp_server.release()
    time.sleep(0.3)
    assert smtp_server.to(user.email) == []  # the first attempt delivered nothing

    second = _worker(env, log)
    try:
        for _ in range(300):
            row.refresh_from_db()
            if row.status == "SUCCESSFUL":
                break
            time.sleep(0.1)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(30)
    assert row.status == "SUCCESSFUL", log.read_text()
    assert len(row.worker_ids) == 2 and row.worker_ids[0] != row.worker_ids[1]
    [message] = smtp_server.to(user.email)
    assert message.subject == "Confirm your email address"
