"""The standard VAT rates the store ships with (learnward/commerce/rates.py)."""

from django.db import migrations



def add_rates(apps, schema_editor):
    from learnward.commerce.rates import ensure_standard_rates

    ensure_standard_rates(apps.get_model("commerce", "TaxRate"))


class Migration(migrations.Migration):
    dependencies = [("commerce", "0001_initial")]
    operations = [migrations.RunPython(add_rates, migrations.RunPython.noop)]
