"""Background work yields the CPU: the retention command runs its thread at a higher nice
value, and only that thread."""

from __future__ import annotations

import os
import threading

import pytest
from django.core.management import call_command

from learnward.core.priority import lower_priority

pytestmark = pytest.mark.skipif(
    os.uname().sysname != "Linux", reason="nice values are per thread on Linux only"
)


def in_a_thread(work):
    """Run ``work()`` in a new thread; return what it returned and that thread's nice value
    afterwards (the caller's own thread must keep its value)."""
    result = {}

    def target():
        result["value"] = work()
        result["nice"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return result["value"], result["nice"]


def own_nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_lowering_priority_affects_only_the_calling_thread():
    before = own_nice()
    value, nice = in_a_thread(lambda: lower_priority(min(before + 5, 19)))
    assert value == nice == min(before + 5, 19)
    assert own_nice() == before


def test_it_never_raises_a_priority():
    def twice():
        lower_priority(12)
        return lower_priority(3)

    value, nice = in_a_thread(twice)
    assert value == nice == max(12, own_nice())


@pytest.mark.django_db
def test_the_retention_command_runs_at_the_configured_nice_value(monkeypatch, settings):
    settings.RETENTION_NICE = 11
    seen = []
    from learnward.privacy.management.commands import retention as command

    monkeypatch.setattr(command, "lower_priority", seen.append)
    call_command("retention", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("retention", "--dry-run", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert seen == [11]  # the run lowers it; the dry run changes nothing and leaves it alone
