"""The privacy app's models, one module per topic; import each here so Django finds them."""

from .breach import Breach, BreachNotification  # noqa: F401
from .consent import ConsentMethod, ConsentRecord  # noqa: F401
from .cookies import CookieDefinition  # noqa: F401
from .exports import SubjectExport  # noqa: F401
from .notice import NoticeAcknowledgement, NoticeVersion  # noqa: F401
from .processors import Processor  # noqa: F401
from .requests import AccountDeletion, RequestPause, RightsRequest  # noqa: F401
from .restriction import Objection, ProcessingRestriction  # noqa: F401
from .retention import (  # noqa: F401
    RetentionOverride,
    RetentionPeriodState,
    RetentionRun,
    RetentionWarning,
)
