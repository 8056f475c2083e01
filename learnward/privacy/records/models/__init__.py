"""The notice's published versions, the processor register and the breach register."""

from .breach import Breach, BreachNotification
from .notice import NoticeAcknowledgement, NoticeVersion
from .processors import Processor

__all__ = ["Breach", "BreachNotification", "NoticeAcknowledgement", "NoticeVersion", "Processor"]
