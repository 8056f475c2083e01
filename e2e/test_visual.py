"""Visual checks: full-page screenshots at 1280 and 390 px of the main learner, verifier, author
and DPO pages, compared with the references committed in e2e/visual/ (see e2e/visual.py and
README "Visual checks"). The demo is loaded with the clock frozen; codes and QR codes are
blanked."""

from __future__ import annotations

import pytest

from e2e.conftest import DESKTOP_VIEWPORT, PHONE_VIEWPORT
from e2e.steps import log_in
from e2e.visual import check_visual
from e2e.world import FROZEN_AT, LOGINS, load_demo, pages_by_role

pytestmark = pytest.mark.e2e

ROLES = ("learner", "verifier", "author", "dpo")
WIDTHS = {"1280": DESKTOP_VIEWPORT, "390": PHONE_VIEWPORT}


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_look_as_their_references(
    role, browser, live_server, transactional_db, settings, tmp_path, time_machine
):
    from django.core.cache import cache

    cache.clear()
    time_machine.move_to(FROZEN_AT, tick=True)
    visits = pages_by_role(load_demo(settings, tmp_path, live_server))[role]
    failures = []
    for width, viewport in WIDTHS.items():
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", viewport=viewport, timezone_id="UTC"
        )
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            if role in LOGINS:
                log_in(page, *LOGINS[role])
            for name, path in visits:
                page.goto(path)
                try:
                    check_visual(page, f"{role}-{name}-{width}")
                except pytest.fail.Exception as exc:
                    failures.append(str(exc))
        finally:
            context.close()
    assert not failures, "\n".join(failures)


def test_the_comparison_sees_a_change_and_ignores_noise():
    """The tolerance in numbers: one changed pixel in 10,000 passes, a changed block fails, a
    different size always fails."""
    import io

    from PIL import Image, ImageDraw

    from e2e.visual import TOLERANCE, difference_ratio

    def png(image) -> bytes:
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()

    base = Image.new("RGB", (100, 100), "white")
    speck = base.copy()
    speck.putpixel((5, 5), (0, 0, 0))
    block = base.copy()
    ImageDraw.Draw(block).rectangle((10, 10, 29, 29), fill=(29, 79, 145))
    faint = base.copy()
    ImageDraw.Draw(faint).rectangle((10, 10, 29, 29), fill=(250, 250, 250))
    assert difference_ratio(png(base), png(base))[0] == 0
    assert difference_ratio(png(base), png(speck))[0] == 0.0001 <= TOLERANCE
    ratio, picture = difference_ratio(png(base), png(block))
    assert ratio == 0.04 > TOLERANCE and picture.getpixel((15, 15)) == (220, 0, 0)
    assert difference_ratio(png(base), png(faint))[0] == 0  # under the per-pixel threshold
    assert difference_ratio(png(base), png(Image.new("RGB", (100, 101), "white")))[0] == 1.0
