"""Demo data for organisations: Harbourside Care Ltd (domain harbourside-care.test), managed by
manager@learnward.test, with the two demo learners as members in two departments, Manual
handling and Safeguarding basics required, and five seats of Manual handling of which one is
held by an invitation nobody has answered yet.

Idempotent: nothing is added once the organisation exists. Written directly (no emails, no
audit entries): it is what staff and the manager would have set up.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from learnward.accounts.models import User
from learnward.catalog.models import Course

from .models import EmailDomain, Invitation, Membership, Organisation, RequiredCourse, SeatPool
from .services import token_hash

SLUG = "harbourside-care"
MEMBERS = [
    ("manager@learnward.test", Membership.Role.MANAGER, "Management"),
    ("learner@learnward.test", Membership.Role.MEMBER, "Day care"),
    ("learner2@learnward.test", Membership.Role.MEMBER, "Night shift"),
]


def load(result: dict) -> None:
    manual = Course.objects.filter(slug="manual-handling").first()
    safeguarding = Course.objects.filter(slug="safeguarding-basics").first()
    organisation = Organisation.objects.filter(slug=SLUG).first()
    if organisation is None and manual is not None:
        now = timezone.now()
        organisation = Organisation.objects.create(
            name="Harbourside Care Ltd", slug=SLUG, company_number="09876543"
        )
        EmailDomain.objects.create(organisation=organisation, domain="harbourside-care.test")
        for email, role, department in MEMBERS:
            user = User.objects.filter(email__iexact=email).first()
            if user is not None:
                Membership.objects.create(
                    organisation=organisation,
                    user=user,
                    role=role,
                    department=department,
                    joined_at=now - timedelta(days=90),
                )
        RequiredCourse.objects.create(organisation=organisation, course=manual, renewal_months=12)
        if safeguarding is not None:
            RequiredCourse.objects.create(organisation=organisation, course=safeguarding)
        pool = SeatPool.objects.create(
            organisation=organisation,
            course=manual,
            seats=5,
            expires_on=(now + timedelta(days=365)).date(),
            created_by=User.objects.filter(email__iexact="admin@learnward.test").first(),
        )
        Invitation.objects.create(
            organisation=organisation,
            email="new.starter@harbourside-care.test",
            name="Jamie New",
            department="Day care",
            pool=pool,
            token_hash=token_hash(secrets.token_urlsafe(32)),
            invited_by=User.objects.filter(email__iexact="manager@learnward.test").first(),
            created_at=now,
            expires_at=now + timedelta(days=settings.INVITATION_DAYS),
        )
    if organisation is not None:
        result.setdefault("organisations", []).append(organisation.slug)
