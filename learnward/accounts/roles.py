"""Staff roles as groups, each with the least permissions it needs."""

from django.contrib.auth.models import Group, Permission

COURSE_AUTHOR = "Course author"
TUTOR = "Tutor"
ADMINISTRATOR = "Administrator"
DPO = "Data protection officer"

# app_label -> codenames. Apps added later extend these lists.
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    COURSE_AUTHOR: [],
    TUTOR: [],
    ADMINISTRATOR: [
        ("accounts", "view_user"),
        ("accounts", "change_user"),
        ("audit", "view_auditentry"),
    ],
    DPO: [
        ("accounts", "view_user"),
        ("audit", "view_auditentry"),
    ],
}


def ensure_roles() -> dict[str, Group]:
    """Create the role groups and set exactly their permissions (idempotent)."""
    groups = {}
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [
            Permission.objects.get(content_type__app_label=app, codename=code)
            for app, code in perms
        ]
        group.permissions.set(wanted)
        groups[name] = group
    return groups
