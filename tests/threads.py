"""Running calls at the same moment, each in its own thread with its own database connection,
for the tests that a row lock or a unique constraint keeps a promise under concurrency."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def race(*calls: Callable[[], object], timeout: float = 60) -> list[tuple[str, object]]:
    """Start every call together; returns ``("ok", result)`` or ``("error", exception)`` per
    call, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            outcomes[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
