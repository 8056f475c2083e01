"""Bring names stored before the name rules (issue 24, item 4) in line with them.

For every account whose ``display_name`` is not already clean:

- the name is normalised to NFC (a decomposed "e" + U+0301 becomes "é": the same text, stored
  the way new names are);
- line breaks, tabs and other control characters (bell, escape, C1) become a space;
- direction overrides, embeddings, isolates and marks (U+202A-U+202E, U+2066-U+2069, U+200E,
  U+200F, U+061C), zero-width and other invisible format characters, filler letters and
  unprintable code points are removed;
- runs of spaces become one, and spaces at the ends go;
- a name with nothing visible left becomes "Name needed", which the person sees on their profile
  and can correct (only a name made wholly of invisible characters gets there).

It is safe to run on a live database: it keeps every visible character (what people see does
not change, except that hidden characters stop reordering or hiding it), touches only the rows
that need it, one column, and is idempotent. It records no audit entries: the audit chain is
written by services, and this is a change of encoding, not of the name. Certificates already
issued keep the name printed on them. Reversing it is a no-op.
"""

from django.db import migrations

from learnward.core.text import scrub_person_name

PLACEHOLDER = "Name needed"


def normalise_display_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    changed = []
    for user in User.objects.only("pk", "display_name").iterator(chunk_size=1000):
        if not user.display_name:
            continue
        cleaned = scrub_person_name(user.display_name) or PLACEHOLDER
        if cleaned != user.display_name:
            user.display_name = cleaned
            changed.append(user)
    # Written after the read, in batches: only the rows that change are held in memory.
    User.objects.bulk_update(changed, ["display_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_guardianconsentrequest"),
    ]

    operations = [
        migrations.RunPython(normalise_display_names, migrations.RunPython.noop, elidable=True),
    ]
