"""Hands the privacy tables over to the privacy.* apps (registry, consent, rights, retention,
records) without touching the data.

Each new app's 0001 adopts its tables in Django's state (they keep their names, pinned with
``db_table``); this migration then forgets them here, again in state only. Content types are
relabelled, so permissions granted to staff and the admin log follow their models, and queued
background tasks are pointed at the tasks' new modules.
"""

from django.db import migrations

from learnward.privacy.history import MOVED_MODELS as MOVED

TASKS = {
    "learnward.privacy.tasks.run_periodic_jobs": "learnward.core.tasks.run_periodic_jobs",
    "learnward.privacy.tasks.send_breach_notifications": (
        "learnward.privacy.records.tasks.send_breach_notifications"
    ),
}


def relabel(apps, schema_editor, forward=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for label, models in MOVED.items():
        old, new = ("privacy", label) if forward else (label, "privacy")
        ContentType.objects.using(schema_editor.connection.alias).filter(
            app_label=old, model__in=models
        ).update(app_label=new)
    for old, new in TASKS.items():
        if not forward:
            old, new = new, old
        DBTaskResult.objects.using(schema_editor.connection.alias).filter(task_path=old).update(
            task_path=new
        )


def relabel_back(apps, schema_editor):
    relabel(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('django_tasks_database', '__latest__'),
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
