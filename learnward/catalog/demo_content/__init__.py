"""The demo courses (one module per course): real content a provider could start from.

Data only: ``catalog.demo`` builds the courses, modules and lessons; ``assessments.demo`` builds each
``assessment`` and takes the demo learner through the courses with the real services.
"""

from __future__ import annotations

from .gdpr import GDPR
from .manual_handling import DEMO_AWARDING_BODY, MANUAL_HANDLING
from .other_languages import OTHER_LANGUAGE_COURSES
from .safeguarding import SAFEGUARDING

DEMO_COURSES = [GDPR, SAFEGUARDING, MANUAL_HANDLING]

__all__ = [
    "DEMO_AWARDING_BODY",
    "DEMO_COURSES",
    "GDPR",
    "MANUAL_HANDLING",
    "OTHER_LANGUAGE_COURSES",
    "SAFEGUARDING",
]
