"""The standard VAT rates the store ships with (UK and the 27 EU countries, as of late 2025).

The provider keeps the table up to date in the admin; a later change of law is a row edit, not a
release. Rows the provider already changed are left alone.
"""

from decimal import Decimal

from django.db import migrations

RATES = {
    "GB": ("United Kingdom", "20"),
    "AT": ("Austria", "20"),
    "BE": ("Belgium", "21"),
    "BG": ("Bulgaria", "20"),
    "CY": ("Cyprus", "19"),
    "CZ": ("Czechia", "21"),
    "DE": ("Germany", "19"),
    "DK": ("Denmark", "25"),
    "EE": ("Estonia", "24"),
    "ES": ("Spain", "21"),
    "FI": ("Finland", "25.5"),
    "FR": ("France", "20"),
    "GR": ("Greece", "24"),
    "HR": ("Croatia", "25"),
    "HU": ("Hungary", "27"),
    "IE": ("Ireland", "23"),
    "IT": ("Italy", "22"),
    "LT": ("Lithuania", "21"),
    "LU": ("Luxembourg", "17"),
    "LV": ("Latvia", "21"),
    "MT": ("Malta", "18"),
    "NL": ("Netherlands", "21"),
    "PL": ("Poland", "23"),
    "PT": ("Portugal", "23"),
    "RO": ("Romania", "21"),
    "SE": ("Sweden", "25"),
    "SI": ("Slovenia", "22"),
    "SK": ("Slovakia", "23"),
}


def add_rates(apps, schema_editor):
    TaxRate = apps.get_model("commerce", "TaxRate")
    for country, (name, rate) in RATES.items():
        TaxRate.objects.get_or_create(
            country=country,
            defaults={
                "name": f"{name} VAT",
                "rate": Decimal(rate),
                "in_eu": country != "GB",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("commerce", "0001_initial")]
    operations = [migrations.RunPython(add_rates, migrations.RunPython.noop)]
