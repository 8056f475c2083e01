"""The admin's addresses from before the privacy models moved apps redirect to the new ones."""

import pytest


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/admin/privacy/processor/", "/admin/privacy_records/processor/"),
        ("/admin/privacy/breach/7/change/", "/admin/privacy_records/breach/7/change/"),
        ("/admin/privacy/consentrecord/?q=x", "/admin/privacy_consent/consentrecord/?q=x"),
        (
            "/admin/privacy/retentionoverride/add/",
            "/admin/privacy_retention/retentionoverride/add/",
        ),
        ("/admin/privacy/rightsrequest/", "/admin/privacy_rights/rightsrequest/"),
        ("/admin/privacy/", "/admin/"),
    ],
)
def test_an_old_admin_address_redirects_permanently(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_a_model_that_never_was_in_privacy_is_404(client):
    assert client.get("/admin/privacy/user/").status_code == 404
