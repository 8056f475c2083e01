"""``learnward worker``: django-tasks-db's worker, plus recovery of tasks whose worker died.

Everything ``db_worker`` does (same options), and: each task runs under a lease (a PostgreSQL
advisory lock), and a background thread puts back in the queue, every ``--requeue-interval``
seconds, the RUNNING tasks whose worker is gone (learnward.core.workers). The worker's id names
its host and process, so an operator can tell which machine ran a task.
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connection
from django_tasks_db.management.commands import db_worker

from learnward.core.workers import (
    GRACE_SECONDS,
    new_worker_id,
    requeue_orphaned_tasks,
    task_lease,
)

logger = logging.getLogger(__name__)


class LeasedWorker(db_worker.Worker):
    def run_task(self, db_task_result) -> None:
        with task_lease(db_task_result.id):
            super().run_task(db_task_result)


def _requeue_loop(stop: threading.Event, every: float, grace: float) -> None:
    while not stop.wait(every):
        try:
            requeue_orphaned_tasks(grace_seconds=grace)
        except Exception:  # noqa: BLE001 - try again next time; the worker goes on
            logger.exception("could not check for tasks left by stopped workers")
        finally:
            close_old_connections()
    connection.close()


class Command(db_worker.Command):
    help = "Run background tasks, and run again those whose worker stopped mid-task."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=new_worker_id(), reload=False)
        parser.add_argument(
            "--requeue-interval",
            type=float,
            default=15.0,
            help="Seconds between checks for tasks left running by a stopped worker.",
        )
        parser.add_argument(
            "--requeue-after",
            type=float,
            default=GRACE_SECONDS,
            help="Leave a running task alone for this many seconds after it started.",
        )

    def handle(self, *args, requeue_interval: float, requeue_after: float, **options) -> None:
        self.configure_logging(options["verbosity"])
        requeue_orphaned_tasks(grace_seconds=requeue_after)  # what stopped workers left
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        worker = LeasedWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        stop = threading.Event()
        checker = threading.Thread(
            target=_requeue_loop,
            args=(stop, requeue_interval, requeue_after),
            name="requeue",
            daemon=True,
        )
        checker.start()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
