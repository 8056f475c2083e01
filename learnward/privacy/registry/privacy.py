"""Declarations for installed third-party models (Django, axes, django-otp, django-tasks-db) and
for learnward.core's branding."""

from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from learnward.core.models import Branding
from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

declare(
    Permission,
    fields={
        "id": NOT_PERSONAL,
        "name": NOT_PERSONAL,
        "content_type": NOT_PERSONAL,
        "codename": NOT_PERSONAL,
    },
)
declare(Group, fields={"id": NOT_PERSONAL, "name": NOT_PERSONAL, "permissions": NOT_PERSONAL})
declare(
    Group.permissions.through,
    fields={"id": NOT_PERSONAL, "group": NOT_PERSONAL, "permission": NOT_PERSONAL},
)
declare(ContentType, fields={"id": NOT_PERSONAL, "app_label": NOT_PERSONAL, "model": NOT_PERSONAL})


def _session_note_text() -> str:
    return gettext(
        "Until you sign out; otherwise deleted automatically after %(days)s days, when the "
        "session expires."
    ) % {"days": settings.SESSION_COOKIE_AGE // 86400}


declare(
    Session,
    subject=None,
    fields={
        "session_key": "user.session",
        "session_data": "user.session",
        "expire_date": "user.session",
    },
    purposes=["account", "security"],
    erasure=Erasure.delete(),
    retention_note=lazy(_session_note_text, str)(),
    label=_("Sign-in sessions"),
)
declare(
    LogEntry,
    subject="user",
    fields={
        "id": NOT_PERSONAL,
        "action_time": "user.audit",
        "user": "user.unique_id",
        "content_type": NOT_PERSONAL,
        "object_id": "user.audit",
        "object_repr": "user.audit",
        "action_flag": NOT_PERSONAL,
        "change_message": "user.audit",
    },
    purposes=["audit"],
    erasure=Erasure.delete(),
    retention_note=_("Staff actions in the admin, kept while the staff account exists."),
    source=_("Staff, when they change records in the admin"),
    label=_("Staff admin log"),
)
_axes_common = {
    "id": NOT_PERSONAL,
    "user_agent": "user.device.browser",
    "ip_address": "user.device.ip_address",
    "username": "user.contact.email",
    "http_accept": "user.device.browser",
    "path_info": NOT_PERSONAL,
}
_lockout_retention = Retention(
    description=_("30 days after the attempt"),
    anchor="attempt_time",
    months=1,
    action=RetentionAction.DELETE,
    setting="LEARNWARD_RETENTION_LOCKOUT_MONTHS",
)
declare(
    AccessAttempt,
    subject_email="username",
    fields={
        **_axes_common,
        "attempt_time": "system.authentication",
        "get_data": "system.authentication",
        "post_data": "system.authentication",
        "failures_since_start": "system.authentication",
    },
    purposes=["security"],
    erasure=Erasure.delete(),
    retention=_lockout_retention,
    source=_("Your browser, when a sign-in fails"),
    label=_("Failed sign-in records"),
)
declare(
    AccessFailureLog,
    subject_email="username",
    fields={
        **_axes_common,
        "attempt_time": "system.authentication",
        "locked_out": "system.authentication",
    },
    purposes=["security"],
    erasure=Erasure.delete(),
    retention=_lockout_retention,
    source=_("Your browser, when a sign-in fails"),
    label=_("Failed sign-in log"),
)
declare(
    AccessLog,
    subject_email="username",
    fields={
        **_axes_common,
        "attempt_time": "system.authentication",
        "logout_time": "system.authentication",
        "session_hash": "user.session",
    },
    purposes=["security"],
    erasure=Erasure.delete(),
    retention=Retention(
        description=_("30 days after the sign-in"),
        anchor="attempt_time",
        months=1,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_LOCKOUT_MONTHS",
    ),
    source=_("Your browser, when you sign in"),
    label=_("Sign-in log"),
)
_device_fields = {
    "id": NOT_PERSONAL,
    "user": "user.unique_id",
    "name": "user.account.settings",
    "confirmed": "user.account.settings",
    "throttling_failure_timestamp": "system.authentication",
    "throttling_failure_count": "system.authentication",
    "created_at": "user.account.settings",
    "last_used_at": "system.authentication",
}
declare(
    TOTPDevice,
    subject="user",
    fields={
        **_device_fields,
        "key": "user.authorization.credentials",
        "step": NOT_PERSONAL,
        "t0": NOT_PERSONAL,
        "digits": NOT_PERSONAL,
        "tolerance": NOT_PERSONAL,
        "drift": NOT_PERSONAL,
        "last_t": "system.authentication",
    },
    purposes=["security"],
    erasure=Erasure.delete(),
    retention_note=_("While two-factor sign-in is turned on for the staff account."),
    label=_("Two-factor sign-in devices"),
)
declare(
    StaticDevice,
    subject="user",
    fields=_device_fields,
    purposes=["security"],
    erasure=Erasure.delete(),
    retention_note=_("While two-factor sign-in is turned on for the staff account."),
    label=_("Two-factor backup code sets"),
)
declare(
    StaticToken,
    subject="device__user",
    fields={"id": NOT_PERSONAL, "device": NOT_PERSONAL, "token": "user.authorization.credentials"},
    purposes=["security"],
    erasure=Erasure.delete(),
    retention_note=_("While two-factor sign-in is turned on for the staff account."),
    label=_("Two-factor backup codes"),
)
declare(
    DBTaskResult,
    subject=None,
    fields={
        "id": NOT_PERSONAL,
        "status": NOT_PERSONAL,
        "enqueued_at": NOT_PERSONAL,
        "started_at": NOT_PERSONAL,
        "finished_at": NOT_PERSONAL,
        "args_kwargs": "user.unique_id",
        "priority": NOT_PERSONAL,
        "task_path": NOT_PERSONAL,
        "queue_name": NOT_PERSONAL,
        "backend_name": NOT_PERSONAL,
        "run_after": NOT_PERSONAL,
        "return_value": NOT_PERSONAL,
        "exception_class_path": NOT_PERSONAL,
        "traceback": NOT_PERSONAL,
        "worker_ids": NOT_PERSONAL,
    },
    purposes=["account"],
    erasure=Erasure.delete(),
    retention_note=_(
        "Task arguments carry only row ids, never names or addresses; finished results "
        "are deleted automatically after 7 days."
    ),
    label=_("Background task queue"),
)
declare(
    AccessAttemptExpiration,
    subject=None,
    fields={"access_attempt": NOT_PERSONAL, "expires_at": "system.authentication"},
    purposes=["security"],
    erasure=Erasure.delete(),
    retention_note=_("Deleted with the failed sign-in record it belongs to."),
    label=_("Lockout expiry times"),
)

# The provider's branding (learnward.core: core may not import the registry, so its one model is
# declared here). Only the certificate signatory is personal: a person the provider names, usually
# a director or head of training, who need not have an account. No learner's data is in it.
declare(
    Branding,
    subject=None,
    fields={
        "id": NOT_PERSONAL,
        "legal_name": NOT_PERSONAL,
        "website": NOT_PERSONAL,
        "primary_colour": NOT_PERSONAL,
        "accent_colour": NOT_PERSONAL,
        "logo": NOT_PERSONAL,
        "logo_sha256": NOT_PERSONAL,
        "signature": "user.name",
        "signature_sha256": NOT_PERSONAL,
        "signatory_name": "user.name",
        "signatory_title": "user.account.role",
        "updated_at": NOT_PERSONAL,
    },
    purposes=["certification"],
    erasure=Erasure.anonymise(
        "signature",
        "signatory_name",
        "signatory_title",
        reason=_(
            "The signatory is not an account holder: the provider removes or replaces them on "
            "the Branding page, which clears the name, title and signature image."
        ),
    ),
    retention_note=_(
        "While the person signs the provider's certificates; replaced or removed on "
        "the Branding page."
    ),
    source=_("The provider's administrator, on the Branding page"),
    label=_("Certificate signatory"),
)
