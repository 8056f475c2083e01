"""Run in a subprocess by test_erasure_atomicity.py, against a database of its own.

``python -m tests.privacy.crash_helper seed`` builds a subject with data everywhere and prints
their email address; ``crash N EMAIL`` runs ``learnward erase_subject --yes`` and kills the
process (``os._exit``) right after the N-th model is processed; ``erase EMAIL`` runs it fully.
"""

from __future__ import annotations

import json
import os
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnward.settings")
    import django

    django.setup()


def seed() -> None:
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from tests.privacy.subject_everywhere import build_subject_everywhere

    ctx = build_subject_everywhere(client=Client(), settings=None)
    print(json.dumps({"email": ctx.user.email, "markers": sorted(ctx.markers.origin)}))


def crash(after: int, email: str) -> None:
    from django.core.management import call_command

    from learnward.privacy.registry import erasure

    def die(index, step):
        if index == after:
            sys.stdout.flush()
            os._exit(17)

    erasure._after_step = die
    call_command("erase_subject", email=email, yes=True)
    os._exit(0)  # not reached when the crash happens


def erase(email: str) -> None:
    from django.core.management import call_command

    call_command("erase_subject", email=email, yes=True)


if __name__ == "__main__":
    _setup()
    command, *args = sys.argv[1:]
    if command == "seed":
        seed()
    elif command == "crash":
        crash(int(args[0]), args[1])
    elif command == "erase":
        erase(args[0])
    else:
        raise SystemExit(f"unknown command {command}")
