"""Derived files about a data subject (exports, cached PDFs), so erasure can delete them.

Any app that writes files about a subject registers a callable ``fn(user_id) -> iterable of
paths`` (absolute filesystem paths, or names in ``default_storage``). Erasure deletes every path
the registered callables return; a missing file is not an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

SubjectFiles = Callable[[int], Iterable["str | Path"]]

_PROVIDERS: list[SubjectFiles] = []


def register_subject_files(fn: SubjectFiles) -> SubjectFiles:
    """Register ``fn(user_id)`` returning the paths of files about that user. Usable as a decorator."""
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)
    return fn


def subject_files(user_id: int) -> list[str]:
    """Every path any registered provider reports for ``user_id``."""
    paths: list[str] = []
    for provider in list(_PROVIDERS):
        paths.extend(str(p) for p in provider(user_id))
    return paths
