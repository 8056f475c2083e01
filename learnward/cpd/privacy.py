"""Registry declarations for the CPD record."""

from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import CpdActivity, Reflection

REFLECTION = "user.content.reflection"
# The field path to the person the rows are about (not text: the lint reads subject= as text).
LEARNER = "user"
RETENTION_NOTE = _(
    "For as long as you keep your account: it is your own record for your professional body. "
    "You can delete entries at any time; it is deleted with your account."
)

declare(
    CpdActivity,
    subject=LEARNER,
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "title": REFLECTION,
        "activity_type": REFLECTION,
        "occurred_on": REFLECTION,
        "hours": REFLECTION,
        "notes": REFLECTION,
        "created_at": REFLECTION,
        "updated_at": REFLECTION,
    },
    purposes=["cpd_record"],
    erasure=Erasure.delete(),
    retention_note=RETENTION_NOTE,
    source=_("You, when you add an activity to your CPD record"),
    label=_("CPD activities"),
)
declare(
    Reflection,
    subject=LEARNER,
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "activity": REFLECTION,
        "course": "user.behavior.learning_activity",
        "course_title": REFLECTION,
        "what": REFLECTION,
        "so_what": REFLECTION,
        "now_what": REFLECTION,
        "created_at": REFLECTION,
        "updated_at": REFLECTION,
    },
    purposes=["cpd_record"],
    erasure=Erasure.delete(),
    retention_note=RETENTION_NOTE,
    source=_("You, when you write a reflection"),
    label=_("CPD reflections"),
)
