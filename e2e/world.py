"""The demo, loaded with the clock frozen, for the layout and visual checks: every role's logins
(README "Demo logins") and the pages each role uses most, by role."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import StringIO

from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

# Every visual check sees the same day: 1 June 2026, 09:00 UTC (the clock ticks on from there).
FROZEN_AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)

LOGINS = {
    "learner": ("learner@learnward.test", "tulip-harbour-42"),
    "author": ("author@learnward.test", "quill-lantern-31"),
    "tutor": ("tutor@learnward.test", "chalk-meadow-64"),
    "admin": ("admin@learnward.test", "granite-beacon-18"),
    "dpo": ("dpo@learnward.test", "ledger-willow-93"),
}


def load_demo(settings, tmp_path, live_server) -> dict:
    settings.ISSUER_KEY_FILE = tmp_path / "issuer_ed25519"
    settings.BASE_URL = live_server.url
    out = StringIO()
    call_command("demo", "--json", stdout=out)
    return json.loads(out.getvalue())


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def pages_by_role(demo: dict) -> dict[str, list[tuple[str, str]]]:
    """{role: [(name, path), ...]}: the main pages of each role's journeys. The verifier has no
    account; the author sees the studio when it is installed, else a course page as staff."""
    valid = next(
        c["code"]
        for c in demo["certificates"]
        if c.get("holder_email") == "learner@learnward.test" and c["status"] == "valid"
    )
    from learnward.learning.models import Enrolment

    course = "safeguarding-basics"
    studio = _url("studio:home")
    tutored = Enrolment.objects.filter(course__tutors__email=LOGINS["tutor"][0]).first()
    return {
        "learner": [
            ("home", "/"),
            ("catalog", reverse("catalog:list")),
            ("course", reverse("catalog:course", args=[course])),
            ("lesson", reverse("learning:continue", args=[course])),
            ("dashboard", reverse("learning:dashboard")),
            ("certificates", reverse("certificates:list")),
            ("my-data", reverse("rights:my_data")),
        ],
        "verifier": [("verification", reverse("certificates:verify", args=[valid]))],
        "author": [
            ("studio", studio),
            ("studio-outline", reverse("studio:outline", args=["manual-handling"])),
            ("media-library", reverse("media:library", args=["manual-handling"])),
            ("question-bank", reverse("assessments_studio:bank", args=[course])),
        ]
        if studio
        else [
            (
                "course-as-staff",
                reverse("catalog:course", args=["gdpr-essentials-for-training-providers"]),
            )
        ],
        "dpo": [
            ("rights-desk", reverse("dpo:queue")),
            ("my-data", reverse("rights:my_data")),
        ],
        "tutor": [
            ("tutor-home", reverse("learning:tutor_home")),
            ("tutor-course", reverse("learning:tutor_course", args=[course])),
            *(
                [
                    (
                        "tutor-learner",
                        reverse("learning:tutor_learner", args=[tutored.course.slug, tutored.pk]),
                    ),
                    (
                        "message-learner",
                        reverse(
                            "support:message_learner",
                            kwargs={"slug": tutored.course.slug, "enrolment_id": tutored.pk},
                        ),
                    ),
                ]
                if tutored
                else []
            ),
            ("insights", reverse("insights:dashboard")),
        ],
        "admin": [
            ("staff-home", _url("core:staff_home") or "/"),
            ("insights", reverse("insights:dashboard")),
        ],
    }
