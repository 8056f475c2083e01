"""Hands the privacy tables over to the privacy.* apps (registry, consent, rights, retention,
records) without touching the data.

Each new app's 0001 adopts its tables in Django's state (they keep their names, pinned with
``db_table``); this migration then forgets them here, again in state only. Content types are
relabelled, so permissions granted to staff and the admin log follow their models; queued
background tasks are pointed at the tasks' new modules; and retention periods set in the admin
(and the periods last recorded), which are keyed by the model's label ("privacy.Breach"), are
re-keyed to the new label, or they would silently stop applying.

The new code may have created content types under the new labels before this migration runs: a
partial ``migrate`` (say ``migrate privacy_consent``) ends with post_migrate, which creates the
content types and permissions of every installed model and gives the staff roles the new
permissions. The old content type is kept (its id is what permissions, groups and the admin log
point at) and the new one is folded into it.
"""

from django.conf import settings
from django.db import migrations

from learnward.privacy.history import MOVED_MODELS as MOVED

TASKS = {
    "learnward.privacy.tasks.run_periodic_jobs": "learnward.core.tasks.run_periodic_jobs",
    "learnward.privacy.tasks.send_breach_notifications": (
        "learnward.privacy.records.tasks.send_breach_notifications"
    ),
}


def _move_links(through, from_id, to_id, using):
    """Point a permission's group (or user) links at another permission, once per owner."""
    perm = next(f for f in through._meta.concrete_fields if f.is_relation and f.related_model._meta.model_name == "permission")
    owner = next(f for f in through._meta.concrete_fields if f.is_relation and f is not perm)
    links = through.objects.using(using)
    has_target = set(links.filter(**{perm.attname: to_id}).values_list(owner.attname, flat=True))
    links.filter(**{perm.attname: from_id, f"{owner.attname}__in": has_target}).delete()
    links.filter(**{perm.attname: from_id}).update(**{perm.attname: to_id})


def _fold(apps, using, keep, stray):
    """Fold content type ``stray`` into ``keep``: its permissions (and who holds them) and its
    admin log entries move to ``keep``'s, then it is deleted."""
    Permission = apps.get_model("auth", "Permission")
    LogEntry = apps.get_model("admin", "LogEntry")
    throughs = [
        apps.get_model("auth", "Group").permissions.through,
        apps.get_model(settings.AUTH_USER_MODEL).user_permissions.through,
    ]
    kept = {
        p.codename: p.pk for p in Permission.objects.using(using).filter(content_type_id=keep.pk)
    }
    for perm in Permission.objects.using(using).filter(content_type_id=stray.pk):
        if perm.codename in kept:
            for through in throughs:
                _move_links(through, perm.pk, kept[perm.codename], using)
            Permission.objects.using(using).filter(pk=perm.pk).delete()
        else:
            Permission.objects.using(using).filter(pk=perm.pk).update(content_type_id=keep.pk)
    LogEntry.objects.using(using).filter(content_type_id=stray.pk).update(content_type_id=keep.pk)
    type(stray).objects.using(using).filter(pk=stray.pk).delete()


def relabel(apps, schema_editor, forward=True):
    using = schema_editor.connection.alias
    ContentType = apps.get_model("contenttypes", "ContentType")
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for label, models in MOVED.items():
        old, new = ("privacy", label) if forward else (label, "privacy")
        for model in models:
            keep = ContentType.objects.using(using).filter(app_label=old, model=model).first()
            if keep is None:
                continue
            stray = ContentType.objects.using(using).filter(app_label=new, model=model).first()
            if stray is not None:
                _fold(apps, using, keep, stray)
            ContentType.objects.using(using).filter(pk=keep.pk).update(app_label=new)
    # A retention rule's key is its model's label (learnward.privacy.registry.Declaration.key).
    holders = [
        apps.get_model("privacy_retention", name).objects.using(using)
        for name in ("RetentionOverride", "RetentionPeriodState")
    ]
    for label, models in MOVED.items():
        for model in models:
            name = apps.get_model(label, model)._meta.object_name
            old, new = (f"privacy.{name}", f"{label}.{name}")[:: 1 if forward else -1]
            for holder in holders:
                # The new key may already be there if the new code ran before this migration:
                # what was set under it then is the newer setting.
                if holder.filter(rule=new).exists():
                    holder.filter(rule=old).delete()
                else:
                    holder.filter(rule=old).update(rule=new)
    for old, new in TASKS.items():
        if not forward:
            old, new = new, old
        DBTaskResult.objects.using(using).filter(task_path=old).update(task_path=new)


def relabel_back(apps, schema_editor):
    relabel(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ('admin', '0003_logentry_add_action_flag_choices'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('django_tasks_database', '0021_conditional_partial_index_ordering'),
        ('privacy', '0001_initial'),
        ('privacy_consent', '0001_initial'),
        ('privacy_records', '0001_initial'),
        ('privacy_retention', '0001_initial'),
        ('privacy_rights', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(relabel, relabel_back),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='accountdeletion',
                    name='request',
                ),
                migrations.RemoveField(
                    model_name='accountdeletion',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='breach',
                    name='recorded_by',
                ),
                migrations.RemoveField(
                    model_name='breachnotification',
                    name='breach',
                ),
                migrations.RemoveField(
                    model_name='breachnotification',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='consentrecord',
                    name='subject',
                ),
                migrations.DeleteModel(
                    name='CookieDefinition',
                ),
                migrations.RemoveField(
                    model_name='noticeacknowledgement',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='noticeacknowledgement',
                    name='version',
                ),
                migrations.RemoveField(
                    model_name='objection',
                    name='request',
                ),
                migrations.RemoveField(
                    model_name='objection',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='processingrestriction',
                    name='request',
                ),
                migrations.RemoveField(
                    model_name='processingrestriction',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='processor',
                    name='engaged_by',
                ),
                migrations.RemoveField(
                    model_name='requestpause',
                    name='request',
                ),
                migrations.RemoveField(
                    model_name='retentionoverride',
                    name='changed_by',
                ),
                migrations.DeleteModel(
                    name='RetentionPeriodState',
                ),
                migrations.DeleteModel(
                    name='RetentionRun',
                ),
                migrations.RemoveField(
                    model_name='retentionwarning',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='rightsrequest',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='rightsrequest',
                    name='requester',
                ),
                migrations.RemoveField(
                    model_name='subjectexport',
                    name='request',
                ),
                migrations.RemoveField(
                    model_name='subjectexport',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='AccountDeletion',
                ),
                migrations.DeleteModel(
                    name='Breach',
                ),
                migrations.DeleteModel(
                    name='BreachNotification',
                ),
                migrations.DeleteModel(
                    name='ConsentRecord',
                ),
                migrations.DeleteModel(
                    name='NoticeAcknowledgement',
                ),
                migrations.DeleteModel(
                    name='NoticeVersion',
                ),
                migrations.DeleteModel(
                    name='Objection',
                ),
                migrations.DeleteModel(
                    name='ProcessingRestriction',
                ),
                migrations.DeleteModel(
                    name='Processor',
                ),
                migrations.DeleteModel(
                    name='RequestPause',
                ),
                migrations.DeleteModel(
                    name='RetentionOverride',
                ),
                migrations.DeleteModel(
                    name='RetentionWarning',
                ),
                migrations.DeleteModel(
                    name='RightsRequest',
                ),
                migrations.DeleteModel(
                    name='SubjectExport',
                ),
            ],
            database_operations=[],
        ),
    ]
