"""Demo data: an enquiry from a visitor without an account, and feedback from the demo learner."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from .models import Enquiry
from .services import enquiry_submit


def load(result: dict) -> None:
    if Enquiry.objects.exists():
        return
    enquiry_submit(
        kind=Enquiry.Kind.ENQUIRY,
        subject=_("Discounts for teams?"),
        body=_("We are a care home with twelve staff. Do you offer group prices?"),
        name="Robin Visitor",
        email="robin.visitor@example.test",
    )
    learner = get_user_model().objects.filter(email="learner@learnward.test").first()
    if learner is not None:
        enquiry_submit(
            kind=Enquiry.Kind.FEEDBACK,
            subject=_("Subtitles"),
            body=_("The videos were great. Subtitles would help when I study on the train."),
            user=learner,
        )
