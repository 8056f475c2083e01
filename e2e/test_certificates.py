"""A verifier checks the demo learner's certificates in the browser; the holder downloads one."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from e2e.conftest import check_accessibility

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_certificates(settings, tmp_path, live_server, transactional_db):
    settings.ISSUER_KEY_FILE = tmp_path / "issuer_ed25519"
    settings.BASE_URL = live_server.url
    out = StringIO()
    call_command("demo", "--json", stdout=out)
    entries = json.loads(out.getvalue())["certificates"]
    return {e["status"]: e for e in entries if e.get("holder_email") == "learner@learnward.test"}


def test_verifier_checks_each_demo_certificate(page, demo_certificates):
    assert set(demo_certificates) == {"valid", "expired", "revoked"}
    page.goto("/verify/")
    check_accessibility(page, label="verify form")
    valid = demo_certificates["valid"]
    page.get_by_label("Certificate code").fill(valid["code"].lower().replace("-", " "))
    page.get_by_role("button", name="Check certificate").click()
    page.wait_for_url(f"**/verify/{valid['code']}/")
    assert page.locator("h1").inner_text() == f"Certificate {valid['code']}"
    assert page.locator(".lead .status-valid").inner_text() == "valid"
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex, nofollow"
    check_accessibility(page, label="valid certificate")

    for status in ("expired", "revoked"):
        entry = demo_certificates[status]
        response = page.goto(entry["url"])
        assert response.status == 200
        assert response.headers["x-robots-tag"] == "noindex, nofollow"
        assert page.locator(f".lead .status-{status}").count() == 1
        api = page.request.get(f"/api/v1/certificates/{entry['code']}")
        assert api.json()["status"] == status
    assert "Issued in error" in page.content()
    check_accessibility(page, label="revoked certificate")

    page.goto("/verify/")
    code = valid["code"]
    mistyped = ("1" if code[0] != "1" else "2") + code[1:]  # the check character catches it
    page.get_by_label("Certificate code").fill(mistyped)
    page.get_by_role("button", name="Check certificate").click()
    assert "typing mistake" in page.locator(".error-summary").inner_text()
    check_accessibility(page, label="verify form with an error")


def test_holder_downloads_the_pdf_from_their_certificates(page, demo_certificates):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("learner@learnward.test")
    page.get_by_label("Password").fill("tulip-harbour-42")
    page.get_by_role("button", name="Log in").click()
    page.goto("/certificates/")
    check_accessibility(page, label="your certificates")
    valid = demo_certificates["valid"]
    with page.expect_download() as download:
        page.get_by_role(
            "link", name=f"Download PDF certificate for {valid['course_title']}"
        ).click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
