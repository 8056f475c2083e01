"""Employers and teams: organisations, their members and managers, invitations that hold seats,
seat pools, the training an organisation requires, and managers' weekly digests.

A manager sees the minimum about a member (certificate status and dates, progress and completion
of the courses the organisation requires, or of every course when the member chose to share);
what they see is built by one selector that the learner's "What your employer sees" also uses.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    company_number = models.CharField(max_length=20, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        permissions = [("manage_organisations", "Can create organisations, pools and managers")]

    def __str__(self) -> str:
        return self.name


class EmailDomain(models.Model):
    """An email domain that belongs to an organisation (routes its people to its sign-in)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True, help_text=_("e.g. example-care.co.uk"))

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs) -> None:
        self.domain = (self.domain or "").strip().lower().lstrip("@")
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A person in an organisation (a member may belong to several). Leaving sets ``left_at``:
    the employer's access ends at once; the row is kept, then dropped by retention."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        MANAGER = "manager", _("Manager")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    department = models.CharField(max_length=100, blank=True)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    # The member lets their managers see every course they take, not only required ones.
    shares_all_courses = models.BooleanField(default=False)
    # Managers only: the weekly digest of what changed and what is due.
    digest_opt_in = models.BooleanField(default=False)
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(left_at__isnull=True),
                name="one_current_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} of {self.organisation}"

    @property
    def current(self) -> bool:
        return self.left_at is None


class SeatPool(models.Model):
    """N seats of a course for an organisation, until an expiry date."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="seat_pools"
    )
    course = models.ForeignKey("catalog.Course", on_delete=models.PROTECT, related_name="+")
    seats = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    expires_on = models.DateField(help_text=_("Seats not used by this day are no longer usable."))
    # Bought through the store (an employer's seat order), or made by staff.
    order = models.ForeignKey(
        "commerce.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.seats} seats of {self.course} for {self.organisation}"


class Invitation(models.Model):
    """An invitation to join an organisation (and, with a pool, to take a seat of a course).

    A seat is held while the invitation is pending and used when the learner enrols; it comes
    back when the invitation expires or is withdrawn before use. The link carries a token whose
    SHA-256 is stored, never the token."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    name = models.CharField(max_length=150, blank=True)
    department = models.CharField(max_length=100, blank=True)
    role = models.CharField(
        max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    pool = models.ForeignKey(
        SeatPool, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_accepted",
    )
    # When the seat was used: the learner enrolled on the pool's course.
    seat_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Invitation to {self.organisation}"


class RequiredCourse(models.Model):
    """A course an organisation requires of all members, or of one department."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="required_courses"
    )
    course = models.ForeignKey("catalog.Course", on_delete=models.PROTECT, related_name="+")
    department = models.CharField(
        max_length=100, blank=True, help_text=_("Leave empty to require it of every member.")
    )
    renewal_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Retake every this many months; empty: the certificate's own expiry applies."),
    )

    class Meta:
        ordering = ["organisation", "course", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "course", "department"], name="one_requirement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} required by {self.organisation}"
