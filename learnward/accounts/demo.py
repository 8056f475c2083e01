"""Demo accounts for `learnward demo` (idempotent: existing accounts are left as they are)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from .models import User
from .roles import ADMINISTRATOR, COURSE_AUTHOR, DPO, FINANCE, TEACHER, TUTOR, ensure_roles
from .services import user_set_roles

DEMO_USERS = [
    {
        "email": "learner@learnward.test",
        "display_name": "Alex Learner",
        "password": "tulip-harbour-42",
        "roles": [],
        "date_of_birth": date(1994, 5, 17),
    },
    {
        "email": "learner2@learnward.test",
        "display_name": "Sam Second",
        "password": "maple-compass-57",
        "roles": [],
        "date_of_birth": date(1988, 11, 2),
    },
    {
        "email": "author@learnward.test",
        "display_name": "Casey Author",
        "password": "quill-lantern-31",
        "roles": [COURSE_AUTHOR],
        "date_of_birth": date(1979, 3, 9),
    },
    {
        "email": "tutor@learnward.test",
        "display_name": "Taylor Tutor",
        "password": "chalk-meadow-64",
        "roles": [TUTOR],
        "date_of_birth": date(1983, 7, 21),
    },
    {
        "email": "admin@learnward.test",
        "display_name": "Morgan Admin",
        "password": "granite-beacon-18",
        "roles": [ADMINISTRATOR],
        "date_of_birth": date(1975, 1, 30),
        "superuser": True,
    },
    {
        "email": "dpo@learnward.test",
        "display_name": "Jordan Privacy",
        "password": "ledger-willow-93",
        "roles": [DPO],
        "date_of_birth": date(1981, 9, 14),
    },
    {
        "email": "finance@learnward.test",
        "display_name": "Robin Finance",
        "password": "abacus-harbour-26",
        "roles": [FINANCE],
        "date_of_birth": date(1986, 4, 2),
    },
    {
        # An employer's manager (Harbourside Care Ltd, learnward/organisations/demo.py): not
        # staff; they manage their organisation's people, seats and required training.
        "email": "manager@learnward.test",
        "display_name": "Priya Manager",
        "password": "ledger-harbour-73",
        "roles": [],
        "date_of_birth": date(1984, 6, 11),
    },
    {
        # A freelance teacher (learnward/classes/demo.py): runs the classroom course's sessions,
        # their registers and QR check-in; sees nothing else about learners.
        "email": "teacher@learnward.test",
        "display_name": "Rowan Teacher",
        "password": "easel-orchard-58",
        "roles": [TEACHER],
        "date_of_birth": date(1980, 2, 19),
    },
]


def load(result: dict) -> None:
    ensure_roles()
    for spec in DEMO_USERS:
        with transaction.atomic():
            user = User.objects.filter(email__iexact=spec["email"]).first()
            if user is None:
                candidate = User(email=spec["email"], display_name=spec["display_name"])
                validate_password(spec["password"], candidate)
                user = User.objects.create_user(
                    spec["email"],
                    spec["password"],
                    display_name=spec["display_name"],
                    date_of_birth=spec["date_of_birth"],
                    email_verified_at=timezone.now(),
                    is_superuser=spec.get("superuser", False),
                    is_staff=spec.get("superuser", False),
                )
                user_set_roles(user=user, roles=spec["roles"], actor=None)
        result["users"].append(
            {
                "email": spec["email"],
                "password": spec["password"],
                "roles": list(spec["roles"]),
                "display_name": spec["display_name"],
                "superuser": bool(spec.get("superuser", False)),
            }
        )
