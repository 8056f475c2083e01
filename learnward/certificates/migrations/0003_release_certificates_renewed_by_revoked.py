"""A renewal revoked outright (not replaced by a reissue) renews nothing any more: release the
certificates such renewals had renewed, as certificate_revoke now does when it revokes one."""

from django.db import migrations


def release(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    Certificate.objects.filter(
        renews__isnull=False, revoked_on__isnull=False, replaced_by__isnull=True
    ).update(renews=None)


class Migration(migrations.Migration):
    dependencies = [("certificates", "0002_certificate_renews_expiryreminder_verificationtally")]

    operations = [migrations.RunPython(release, migrations.RunPython.noop)]
