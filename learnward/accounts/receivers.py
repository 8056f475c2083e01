"""Signal receivers: lockout auditing and creating the staff role groups after migrate."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.dispatch import receiver


@receiver(user_locked_out, dispatch_uid="learnward.accounts.audit_lockout")
def audit_lockout(sender, request=None, username=None, **kwargs) -> None:
    from .services import user_record_lockout

    user_record_lockout(username=username)


def create_roles_after_migrate(sender, using="default", verbosity=1, **kwargs) -> None:
    """post_migrate (sent for accounts): make sure every app's permissions exist, then the roles.

    Roles name permissions of apps that come later in INSTALLED_APPS, whose own post_migrate
    may not have run yet, so their permissions are created here first (idempotent).
    """
    from .roles import ensure_roles

    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using, apps=global_apps)
    ensure_roles()
