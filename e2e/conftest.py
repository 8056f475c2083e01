"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The suite's shared fixtures (tests/conftest.py is not a parent of e2e/): a real SMTP server on
# loopback, the user factory, per-test media, mail and task settings, no verification counts
# carried past a test, and the SQLite test database in a file (so a session that starts with a
# browser test does not leave the race tests a shared-cache memory database that fails writers
# at once with "database table is locked").
from tests.conftest import (  # noqa: F401
    _default_language_after_each_test,
    _isolated_data_dir,
    _no_verification_counts_left_over,
    django_db_modify_db_settings,
    make_user,
    smtp_server,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM = os.environ.get("LEARNWARD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp lets the test inject axe-core; the pages themselves keep their CSP.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def check_accessibility(page, *, label: str) -> None:
    """Run axe-core in the page; fail on any serious or critical violation."""
    if not AXE_JS.exists():
        pytest.fail("axe-core is not installed: run `npm ci --prefix e2e` (make install-test does)")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in bad
    )
    assert not bad, f"axe-core found serious/critical violations on {label}:\n{details}"


# --- Phone width -------------------------------------------------------------------------------

PHONE_WIDTH = 390
PHONE_VIEWPORT = {"width": PHONE_WIDTH, "height": 844}
DESKTOP_VIEWPORT = {"width": 1280, "height": 900}

_OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    // Inside a region that scrolls sideways (a wide table's wrapper): allowed.
    let scroller = el.parentElement, contained = false;
    while (scroller && scroller !== document.body) {
      const style = getComputedStyle(scroller);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) { contained = true; break; }
      scroller = scroller.parentElement;
    }
    if (contained) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    culprits.push(`${name} (right edge ${Math.round(box.right)}px)`);
    if (culprits.length >= 5) break;
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, culprits};
}
"""


def check_fits_phone(page, label: str) -> None:
    """Fail when the page is wider than a 390 px phone's viewport: the page scrolls sideways.

    Resizes the page to the phone's viewport first (and leaves it there). Names the first
    elements that stick out, so the failure says where to look."""
    if page.viewport_size != PHONE_VIEWPORT:
        page.set_viewport_size(PHONE_VIEWPORT)
    result = page.evaluate(_OVERFLOW_JS)
    assert result["scrollWidth"] <= result["width"], (
        f"{label} is {result['scrollWidth']} px wide on a {PHONE_WIDTH} px phone "
        f"(viewport {result['width']} px): it scrolls sideways. Sticking out: "
        + (", ".join(result["culprits"]) or "(no single element found)")
    )
