"""The public verification page in a real browser: the status panel, the certificate's picture
(its PDF rendered to PNG) and the signed credential, for a valid and a revoked certificate, with
axe and no sideways scrolling on a phone; and the holder's list of certificates.

Set LEARNWARD_SCREENSHOT_DIR to keep full-page screenshots of each page at 1280 and 390 pixels.
"""

from __future__ import annotations

import io
import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from e2e.conftest import check_accessibility
from e2e.steps import log_in

pytestmark = pytest.mark.e2e

WIDTHS = (1280, 390)


def _png(colour: tuple[int, int, int], size=(480, 160)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 20, 120, 140), 24, fill=(*colour, 255))
    draw.line(
        [(150, 120), (220, 40), (260, 110), (330, 50), (460, 90)], fill=(*colour, 255), width=8
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def certificates(settings, tmp_path, live_server, transactional_db, make_user):
    from learnward.catalog.models import AwardingBody, Course
    from learnward.certificates.services import certificate_issue, certificate_revoke
    from learnward.core.branding import save_branding

    settings.ISSUER_KEY_FILE = tmp_path / "issuer_ed25519"
    settings.BASE_URL = live_server.url
    save_branding(
        legal_name="Harbourside Training Ltd",
        website="https://harbourside.example",
        primary_colour="#1d4f91",
        accent_colour="#0f6e63",
        signatory_name="Dr Helen Marsh",
        signatory_title="Head of Training",
        logo=_png((29, 79, 145)),
        signature=_png((20, 30, 80)),
    )
    body = AwardingBody.objects.create(name="Skills for Care Awarding", purpose="Registration.")
    course = Course.objects.create(
        title="Safeguarding Adults Level 2",
        slug="safeguarding-adults",
        summary="A course.",
        cpd_hours=Decimal("3.5"),
        certificate_validity_months=12,
        published=True,
        awarding_body=body,
        accreditation_number="CPD-2026-0417",
        certificate_layout="modern",
    )
    holder = make_user(email="holder@example.test", display_name="Amira Okafor")
    today = timezone.localdate()
    valid = certificate_issue(
        user=holder,
        holder_name="Amira Okafor",
        course_title=course.title,
        cpd_hours=course.cpd_hours,
        awarded_on=today - timedelta(days=20),
        expires_on=today + timedelta(days=345),
        course=course,
    )
    revoked = certificate_issue(
        user=holder,
        holder_name="Amira Okafor",
        course_title="First Aid at Work",
        cpd_hours="6",
        awarded_on=today - timedelta(days=90),
        expires_on=today + timedelta(days=640),
    )
    revoked = certificate_revoke(
        certificate=revoked, reason="Issued in error: the assessment was not passed.", actor=None
    )
    return {"holder": holder, "valid": valid, "revoked": revoked}


def _no_sideways_scroll(page) -> None:
    """Nothing in the page's main content reaches past the right edge of a 390px screen. (The
    site header is the design system's; every page's full width is checked by the journeys.)"""
    widest = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('main, main *')]"
        ".map(e => e.getBoundingClientRect().right + window.scrollX))"
    )
    assert widest <= 390, f"the main content is {widest}px wide on a 390px screen"


def _screenshot(page, name: str) -> None:
    folder = os.environ.get("LEARNWARD_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _picture_loaded(page) -> None:
    image = page.locator(".verify__picture img")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('.verify__picture img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    assert image.evaluate("i => i.naturalWidth") == 1000


def test_a_valid_certificate_shows_the_status_panel_picture_and_credential(page, certificates):
    valid = certificates["valid"]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/verify/{valid.display_code}/")
        panel = page.locator(".verify__status")
        assert panel.get_attribute("data-status") == "valid"
        assert panel.get_by_role("heading", level=2).inner_text() == "Valid"
        last_day = valid.expires_on - timedelta(days=1)
        assert f"Valid until {last_day:%-d %B %Y}" in panel.inner_text()
        _picture_loaded(page)
        facts = page.locator(".verify__facts").inner_text()
        for shown in ("Skills for Care Awarding", "CPD-2026-0417", "Harbourside Training Ltd"):
            assert shown in facts
        assert page.locator(".verify__issuer img").evaluate("i => i.naturalWidth") > 0
        badge = page.locator(".verify__badge")
        assert "signed Open Badges 3.0 credential" in badge.inner_text()
        badge.get_by_text("How an employer can check it independently").click()
        assert "public key" in badge.inner_text()
        check_accessibility(page, label=f"valid certificate at {width}px")
        if width == 390:
            _no_sideways_scroll(page)
        _screenshot(page, f"verify-valid-{width}")
    response = page.request.get(f"/verify/{valid.display_code}/credential.json")
    assert response.status == 200
    assert "OpenBadgeCredential" in response.json()["type"]


def test_a_revoked_certificate_says_revoked_on_the_page_and_the_picture(page, certificates):
    revoked = certificates["revoked"]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/verify/{revoked.display_code}/")
        panel = page.locator(".verify__status")
        assert panel.get_attribute("data-status") == "revoked"
        assert panel.get_by_role("heading", level=2).inner_text().upper() == "REVOKED"
        assert "Issued in error: the assessment was not passed." in panel.inner_text()
        assert f"Revoked on {revoked.revoked_on:%-d %B %Y}" in panel.inner_text()
        _picture_loaded(page)
        assert "REVOKED" in page.locator(".verify__picture img").get_attribute("alt")
        assert page.locator(".verify__badge").count() == 0
        check_accessibility(page, label=f"revoked certificate at {width}px")
        if width == 390:
            _no_sideways_scroll(page)
        _screenshot(page, f"verify-revoked-{width}")


def test_the_holders_list_offers_actions_that_fit_each_certificate(page, certificates):
    log_in(page, "holder@example.test")
    valid, revoked = certificates["valid"], certificates["revoked"]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/certificates/")
        card = page.locator(f'[data-certificate="{valid.display_code}"]')
        actions = [a.get_attribute("data-action") for a in card.locator("[data-action]").all()]
        assert actions == ["view", "pdf", "linkedin"]  # awarded 20 days ago: nothing to renew
        card = page.locator(f'[data-certificate="{revoked.display_code}"]')
        actions = [a.get_attribute("data-action") for a in card.locator("[data-action]").all()]
        assert actions == ["view", "pdf"]
        check_accessibility(page, label=f"certificates list at {width}px")
        if width == 390:
            _no_sideways_scroll(page)
        _screenshot(page, f"certificates-list-{width}")
