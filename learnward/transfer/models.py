"""Course import and export keeps no rows of its own: what it does is in the audit trail.

:class:`TransferPermissions` only carries the permission the "Course author" role is given; it has
no table (``managed = False``)."""

from django.db import models


class TransferPermissions(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("transfer_courses", "Can export, import and duplicate courses")]

    def __str__(self) -> str:
        return "Course import and export"
