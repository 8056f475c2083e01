"""Derived files about a data subject (exports, cached PDFs), so erasure can delete them.

Any app that writes files about a subject registers a callable ``fn(user_id) -> iterable`` of
:class:`StoredFile` (a name in one of the stores of ``settings.STORAGES``: a folder on one
machine, a bucket shared by several) or absolute filesystem paths. Erasure deletes every file the
registered callables return; a missing file is not an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple


class StoredFile(NamedTuple):
    """A file in a Django store: ``storages[storage]``, under ``name``."""

    storage: str
    name: str


SubjectFiles = Callable[[int], Iterable["StoredFile | str | Path"]]

_PROVIDERS: list[SubjectFiles] = []


def register_subject_files(fn: SubjectFiles) -> SubjectFiles:
    """Register ``fn(user_id)`` returning the paths of files about that user. Usable as a decorator."""
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)
    return fn


def subject_files(user_id: int) -> list[StoredFile | str]:
    """Every file any registered provider reports for ``user_id``."""
    files: list[StoredFile | str] = []
    for provider in list(_PROVIDERS):
        files.extend(f if isinstance(f, StoredFile) else str(f) for f in provider(user_id))
    return files
