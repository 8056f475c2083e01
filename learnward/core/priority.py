"""Background work yields the CPU to people waiting for pages.

A retention sweep is long and CPU-bound; on a small server it shares the cores with the web
processes that answer learners and verifiers. Running it at a higher nice value lets the
scheduler serve requests first when both want the CPU, and costs nothing when the CPU is idle.
"""

from __future__ import annotations

import os
import threading


def lower_priority(nice: int) -> int | None:
    """Give the calling thread a nice value of at least ``nice`` (0-19) and return the value in
    force, or None where the platform has no nice values. On Linux a nice value belongs to a
    thread, so a worker's other threads and the web server keep theirs; elsewhere the whole
    process is lowered. It never raises a priority: an unprivileged process could not lower its
    nice value again, so a thread that is already nicer is left as it is."""
    if not hasattr(os, "getpriority"):
        return None
    target = threading.get_native_id() if os.uname().sysname == "Linux" else 0
    try:
        current = os.getpriority(os.PRIO_PROCESS, target)
        if nice > current:
            os.setpriority(os.PRIO_PROCESS, target, min(nice, 19))
        return os.getpriority(os.PRIO_PROCESS, target)
    except OSError:
        return None
