"""Rights requests, their pauses, self-service account deletions, data exports, and the tables
awaiting VACUUM after an erasure."""

from .exports import SubjectExport
from .maintenance import VacuumPending
from .requests import AccountDeletion, RequestPause, RightsRequest

__all__ = ["AccountDeletion", "RequestPause", "RightsRequest", "SubjectExport", "VacuumPending"]
