"""Registry declarations for the CPD record."""

from learnward.privacy.registry import Erasure, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import CpdActivity, Reflection

REFLECTION = "user.content.reflection"
RETENTION_NOTE = (
    "For as long as you keep your account: it is your own record for your professional body. "
    "You can delete entries at any time; it is deleted with your account."
)

declare(
    CpdActivity,
    subject="user",
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
    source="You, when you add an activity to your CPD record",
    label="CPD activities",
)
declare(
    Reflection,
    subject="user",
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
    source="You, when you write a reflection",
    label="CPD reflections",
)
