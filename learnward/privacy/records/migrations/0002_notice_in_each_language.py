"""The notice in each language: a version's content becomes ``{"<language>": content}``, and an
acknowledgement records the language the learner read it in.

Versions published before the translations were in English only: their content is wrapped as
``{"en-gb": old}`` (their hash is kept; the next publication covers every language and, since
the English text is the same, is not material). Reversing takes the English content back out.
"""

from django.db import migrations, models

ENGLISH = "en-gb"


def _is_wrapped(content) -> bool:
    return isinstance(content, dict) and ENGLISH in content and "controller" not in content


def wrap_content(apps, schema_editor):
    NoticeVersion = apps.get_model("privacy_records", "NoticeVersion")
    for version in NoticeVersion.objects.all().only("pk", "content"):
        if not _is_wrapped(version.content):
            version.content = {ENGLISH: version.content}
            version.save(update_fields=["content"])


def unwrap_content(apps, schema_editor):
    NoticeVersion = apps.get_model("privacy_records", "NoticeVersion")
    for version in NoticeVersion.objects.all().only("pk", "content"):
        if _is_wrapped(version.content):
            version.content = version.content[ENGLISH]
            version.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("privacy_records", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="noticeacknowledgement",
            name="language",
            field=models.CharField(default="en-gb", max_length=10),
        ),
        migrations.RunPython(wrap_content, unwrap_content),
    ]
