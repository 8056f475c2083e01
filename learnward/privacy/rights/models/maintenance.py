"""Housekeeping after erasure: the tables whose deleted rows still sit in PostgreSQL's files."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class VacuumPending(models.Model):
    """A table an erasure deleted or overwrote rows in, on PostgreSQL.

    PostgreSQL keeps the old row versions (dead tuples) in the table's files until ``VACUUM``
    removes them, and ``VACUUM`` cannot run inside the erasure's transaction; the daily
    ``vacuum_erased`` job vacuums every table listed here and removes the entry. Holds table
    names only, nothing about the person.
    """

    table = models.CharField(max_length=63, unique=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "table awaiting VACUUM"
        verbose_name_plural = "tables awaiting VACUUM"

    def __str__(self) -> str:
        return self.table
