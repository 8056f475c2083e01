"""The one site-wide space exists from the start (course spaces are opened by their tutors)."""

from django.db import migrations


def create(apps, schema_editor):
    Space = apps.get_model("community", "Space")
    if not Space.objects.filter(kind="site").exists():
        Space.objects.create(
            kind="site", title="Community", description="Talk with other learners on this site."
        )


class Migration(migrations.Migration):
    dependencies = [("community", "0002_post_fulltext")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
