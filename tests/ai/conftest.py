"""AI test fixtures: a course with real lesson text, an enrolled learner with personal details
the registry knows about, and an AI processor in the processor register."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count

import pytest

_n = count(1)

LESSONS = {
    "Why minimise personal data": """
Data minimisation means collecting only the personal data you need for a stated purpose.

## Deciding what you need

Start from the purpose. List each field you collect and ask whether the purpose fails without it.
If it does not, stop collecting it. Review the list regularly, because purposes change.

## Retention periods

Keep personal data only as long as the purpose needs it. Set a retention period for each kind of
record and delete or anonymise records when the period ends.
""",
    "Lawful bases": """
Every use of personal data needs a lawful basis: consent, contract, legal obligation, vital
interests, public task or legitimate interests.

## Consent

Consent must be freely given, specific, informed and unambiguous. People can withdraw it at any
time, and withdrawing must be as easy as giving it.
""",
    "Handling a breach": """
A personal data breach must be reported to the regulator within 72 hours when it is likely to
result in a risk to people's rights and freedoms.
""",
}


@pytest.fixture
def course(db):
    from learnward.catalog.models import Course, Lesson, Module

    n = next(_n)
    course = Course.objects.create(
        title="Data protection essentials",
        slug=f"data-protection-{n}",
        summary="The basics of UK GDPR.",
        cpd_hours=Decimal("3.0"),
        published=True,
    )
    module = Module.objects.create(course=course, title="Principles", position=0)
    for position, (title, body) in enumerate(LESSONS.items()):
        Lesson.objects.create(module=module, title=title, position=position, body_markdown=body)
    return course


@pytest.fixture
def other_course(db):
    from learnward.catalog.models import Course, Lesson, Module

    course = Course.objects.create(
        title="Fire safety",
        slug=f"fire-safety-{next(_n)}",
        summary="Fire.",
        cpd_hours=Decimal("1.0"),
        published=True,
    )
    module = Module.objects.create(course=course, title="Fire", position=0)
    Lesson.objects.create(
        module=module,
        title="Retention of fire logs",
        body_markdown="Keep fire alarm test logs. Retention periods for personal data apply.",
    )
    return course


# Personal details the registry holds about the learner; none of them may reach the provider.
LEARNER = {
    "email": "jane.doe@example.org",
    "display_name": "Jane Okonkwo-Smith",
    "date_of_birth": date(1990, 5, 17),
}


@pytest.fixture
def learner(make_user, course):
    from learnward.learning.services import enrolment_create

    user = make_user(**LEARNER)
    enrolment_create(user=user, course=course)
    return user


@pytest.fixture
def ai_processor(db):
    from learnward.privacy.records.models import Processor

    return Processor.objects.create(
        name="Example AI Ltd",
        service="Language model API",
        purposes=["ai_assistance"],
        data_categories=["user.content.ai_interaction"],
        location="United States",
        transfer_mechanism=Processor.TransferMechanism.IDTA,
    )


@pytest.fixture
def ai_on(learner, fake_llm, ai_processor):
    """Provider configured, processor registered, learner opted in."""
    from learnward.ai.selectors import ai_status
    from learnward.ai.services import ai_opt_in

    ai_opt_in(user=learner, version=ai_status(user=learner).version)
    return fake_llm


def personal_values(user) -> list[str]:
    """Every form in which the learner's declared details could leak."""
    return [
        user.email,
        user.email.split("@")[0],
        user.display_name,
        *user.display_name.replace("-", " ").split(),
        "1990-05-17",
        "17/05/1990",
        "17 May 1990",
    ]
