"""Every main page of each role's journeys fits a 390 px phone: nothing makes the page scroll
sideways (a wide table scrolls inside its own region instead). In English, and in Dutch and
French, whose words are often longer (the same pages under /nl/ and /fr/)."""

from __future__ import annotations

import pytest

from e2e.conftest import PHONE_VIEWPORT, check_fits_phone
from e2e.steps import log_in
from e2e.world import FROZEN_AT, LOGINS, load_demo, pages_by_role

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("language", ["en-gb", "nl", "fr"])
def test_every_main_page_fits_a_phone(
    browser, live_server, transactional_db, settings, tmp_path, time_machine, language
):
    from django.core.cache import cache

    cache.clear()
    time_machine.move_to(FROZEN_AT, tick=True)
    pages = pages_by_role(load_demo(settings, tmp_path, live_server))
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE_VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(15000)
    checked, failures = 0, []
    try:
        for role, visits in pages.items():
            if role in LOGINS:
                log_in(page, *LOGINS[role])
            for name, path in visits:
                if language != "en-gb":
                    path = f"/{language}{path}"
                response = page.goto(path)
                assert response.ok, f"{role} {name} ({path}): HTTP {response.status}"
                try:
                    check_fits_phone(page, f"the {role}'s {name} page ({path})")
                    if language != "en-gb":
                        assert page.locator("html").get_attribute("lang") == language, path
                except AssertionError as exc:  # every page is checked; all failures reported
                    failures.append(str(exc).splitlines()[0])
                checked += 1
            context.clear_cookies()  # signed out for the next role
    finally:
        context.close()
    assert checked >= 15
    assert not failures, "\n".join(failures)


def test_the_check_fails_on_a_page_wider_than_the_phone(page, live_server):
    """The check itself: a page with an element wider than the viewport fails, one whose wide
    table scrolls inside its region passes."""
    page.set_viewport_size(PHONE_VIEWPORT)
    page.set_content('<main><div style="width: 600px">Too wide</div></main>')
    with pytest.raises(AssertionError, match="scrolls sideways"):
        check_fits_phone(page, "a page that is too wide")
    page.set_content(
        '<main><div style="overflow-x: auto"><table><tr><td style="min-width: 900px">wide'
        "</td></tr></table></div></main>"
    )
    check_fits_phone(page, "a page whose wide table scrolls in its region")
