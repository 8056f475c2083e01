"""Rights requests, their pauses, self-service account deletions and data exports."""

from .exports import SubjectExport
from .requests import AccountDeletion, RequestPause, RightsRequest

__all__ = ["AccountDeletion", "RequestPause", "RightsRequest", "SubjectExport"]
