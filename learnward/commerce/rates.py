"""The standard VAT rates the store ships with: the UK and the 27 EU countries, as of late 2025.

The provider keeps the table up to date in the admin (Sales → Tax rates); a change of law is a
row edit, not a release. Used by the data migration that fills the table and by the demo.
"""

from decimal import Decimal

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


def ensure_standard_rates(tax_rate_model=None) -> int:
    """Add the shipped rate of each country missing from the table (rows the provider changed
    are left alone); returns how many were added. ``tax_rate_model`` is for the migration."""
    if tax_rate_model is None:
        from .models import TaxRate as tax_rate_model
    added = 0
    for country, (name, rate) in RATES.items():
        _, created = tax_rate_model.objects.get_or_create(
            country=country,
            defaults={"name": f"{name} VAT", "rate": Decimal(rate), "in_eu": country != "GB"},
        )
        added += created
    return added
