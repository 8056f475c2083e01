from datetime import date

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learnward.core.dates import age_on


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("display_name", "Administrator")
        extra.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Email is the login; ``display_name`` is the name they want shown."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PENDING_GUARDIAN = "pending_guardian", _("Waiting for a guardian's consent")
        DEACTIVATED = "deactivated", _("Deactivated")
        CLOSED = "closed", _("Closed")

    email = models.EmailField("email address", max_length=254, unique=True)
    display_name = models.CharField(
        "name", max_length=150, help_text=_("The name you want shown, and printed on certificates.")
    )
    date_of_birth = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    pending_email = models.EmailField(
        blank=True,
        help_text=_("A new address waiting for verification before it replaces the old one."),
    )
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # What the site is shown in and everything sent to them is written in: the language of the
    # page they signed up on, changed on their profile or with the language switcher.
    language = models.CharField(
        "language", max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["id"]
        # Setting staff roles is its own permission, apart from correcting a record
        # (change_user), so a role that may rectify cannot hand itself more roles.
        permissions = [("set_roles", "Can set staff roles")]

    def __str__(self) -> str:
        return f"User {self.pk}"

    def save(self, *args, **kwargs):
        # Email is the login and is compared case-insensitively: store it lower-cased.
        self.email = self.email.strip().lower()
        self.pending_email = self.pending_email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        # Deactivated accounts may still sign in (to cancel deletion or keep the account);
        # AccountStatusMiddleware confines them. Closed accounts cannot sign in at all.
        return self.status != self.Status.CLOSED

    @property
    def has_verified_email(self) -> bool:
        return self.email_verified_at is not None

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        return age_on(self.date_of_birth, day)

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name


class GuardianConsentRequest(models.Model):
    """A parent's or guardian's consent asked for a learner in the guardian band of the age policy.

    The learner's account waits (status ``pending_guardian``) until the guardian follows the
    emailed link and agrees. A refusal, or no answer by ``expires_at``, erases the pending account
    and this row with it. After consent the row is kept with the account as the record of whom
    we asked. ``link_key`` is part of the signed link: a new key (when the learner corrects the
    guardian's address) makes older links useless.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the guardian")
        CONSENTED = "consented", _("The guardian agreed")

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="guardian_request"
    )
    guardian_email = models.EmailField("guardian's email address", max_length=254)
    link_key = models.CharField(max_length=32)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_sent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "guardian consent request"

    def __str__(self) -> str:
        return f"Guardian consent request {self.pk}"

    def save(self, *args, **kwargs):
        self.guardian_email = self.guardian_email.strip().lower()
        super().save(*args, **kwargs)

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())
