"""Stores in an S3 bucket: the backup lists their objects; a restore counts what went missing."""

from __future__ import annotations

import json

import pytest

from learnward.operations import stores

boto3 = pytest.importorskip("boto3")
moto = pytest.importorskip("moto")

BUCKET = "learnward-backup-test"


def _s3(location: str) -> dict:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": BUCKET, "location": location, "region_name": "eu-west-2"},
    }


@pytest.fixture
def bucket(settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with moto.mock_aws():
        boto3.client("s3", region_name="eu-west-2").create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": _s3("media"),
            "exports": _s3("exports"),
        }
        yield boto3.client("s3", region_name="eu-west-2")


def test_objects_are_listed_with_size_and_etag_and_missing_ones_counted(bucket, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    storages["default"].save("a/photo.txt", ContentFile(b"one"))
    storages["default"].save("b.txt", ContentFile(b"two!"))
    storages["exports"].save("export.zip", ContentFile(b"zip"))
    bucket.put_object(Bucket=BUCKET, Key="journal/not-backed-up.json", Body=b"{}")
    assert stores.kind("default") == "s3"

    counts = stores.backup_s3(["default", "exports"], tmp_path)
    assert (counts["default"].files, counts["default"].size) == (2, 7)
    listing = json.loads((tmp_path / stores.OBJECTS_FILE).read_text())
    assert [item["key"] for item in listing["default"]] == ["media/a/photo.txt", "media/b.txt"]
    assert [item["key"] for item in listing["exports"]] == ["exports/export.zip"]
    assert all(item["etag"] and '"' not in item["etag"] for item in listing["default"])

    assert stores.s3_missing(tmp_path, ["default", "exports"]) == {"default": 0, "exports": 0}
    bucket.delete_object(Bucket=BUCKET, Key="media/b.txt")
    bucket.put_object(Bucket=BUCKET, Key="exports/export.zip", Body=b"changed")
    assert stores.s3_missing(tmp_path, ["default", "exports"]) == {"default": 1, "exports": 1}


def test_a_freshly_migrated_site_counts_as_empty_though_migrations_filled_reference_tables(db):
    """The VAT rates come with the migrations; only other rows make a site 'hold data'."""
    from learnward.commerce.models import Coupon, TaxRate
    from learnward.commerce.rates import ensure_standard_rates
    from learnward.operations.database import learnward_tables_with_rows

    ensure_standard_rates()
    assert TaxRate.objects.exists()
    assert learnward_tables_with_rows() == []
    Coupon.objects.create(code="ANY", value=10)
    assert learnward_tables_with_rows() == ["commerce_coupon"]
