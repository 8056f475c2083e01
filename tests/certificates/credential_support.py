"""Checking a signed credential the way a verifier does: `learnward verify_credential <file>`."""

from __future__ import annotations

import json

from django.core.management import call_command
from django.core.management.base import CommandError


def verify_credential_file(tmp_path, credential: dict, name: str = "credential.json"):
    """Write ``credential`` to a file and verify it: (exit code, everything it printed)."""
    path = tmp_path / name
    path.write_text(json.dumps(credential))
    out: list[str] = []

    class Sink:
        def write(self, text):
            out.append(text)

        def flush(self):
            pass

    try:
        call_command("verify_credential", str(path), stdout=Sink())
    except CommandError as exc:
        return exc.returncode, "".join(out) + str(exc)
    return 0, "".join(out)
