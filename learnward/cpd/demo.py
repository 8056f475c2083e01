"""Demo CPD record for the first demo learner: one outside activity with a reflection."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .models import CpdActivity
from .services import activity_add, reflection_save

DEMO_EMAIL = "learner@learnward.test"
TITLE = "Local safeguarding partnership conference"


def load(result: dict) -> None:
    from learnward.accounts.models import User

    user = User.objects.filter(email=DEMO_EMAIL).first()
    if user is None or CpdActivity.objects.filter(user=user, title=TITLE).exists():
        return
    activity = activity_add(
        user=user,
        title=TITLE,
        activity_type="conference",
        occurred_on=timezone.localdate() - timedelta(days=40),
        hours="5",
        notes="Morning: learning from case reviews. Afternoon: information sharing workshop.",
    )
    reflection_save(
        user=user,
        activity=activity,
        what="How case reviews trace missed chances to share information.",
        so_what="Our team often waits for certainty before sharing a concern.",
        now_what="Bring the information-sharing flowchart to the next team meeting.",
    )
