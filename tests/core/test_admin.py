"""Records that change only through services are read-only in the admin, through one base."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from learnward.core.admin import ReadOnlyAdmin

READ_ONLY = [
    "audit.AuditEntry",
    "certificates.Certificate",
    "privacy_consent.ConsentRecord",
    "privacy_consent.ProcessingRestriction",
    "privacy_consent.Objection",
    "privacy_records.NoticeVersion",
    "privacy_records.Breach",
    "privacy_records.BreachNotification",
    "privacy_retention.RetentionRun",
    "privacy_rights.RightsRequest",
    "privacy_rights.SubjectExport",
    "privacy_rights.AccountDeletion",
]


@pytest.mark.django_db
@pytest.mark.parametrize("label", READ_ONLY)
def test_read_only_records_cannot_be_added_changed_or_deleted_even_by_a_superuser(label, make_user):
    model_admin = next(
        ma for model, ma in admin.site._registry.items() if model._meta.label == label
    )
    assert isinstance(model_admin, ReadOnlyAdmin)
    request = RequestFactory().get("/admin/")
    request.user = make_user(is_staff=True, is_superuser=True)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
