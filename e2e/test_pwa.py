"""The installable app in Chromium: the manifest is valid, the service worker registers (under
the site's real Content Security Policy), a navigation with the network gone shows the offline
page, and after visiting personal pages the Cache Storage holds only the offline page and static
files, nothing personal."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in

pytestmark = pytest.mark.e2e

CACHE_CONTENTS = """async () => {
  const out = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      out.push({path: new URL(request.url).pathname, body: await response.text()});
    }
  }
  return out;
}"""


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def strict_page(browser, live_server):
    """A page that keeps the site's Content Security Policy (the shared one bypasses it for axe)."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _wait_for_worker(page) -> str:
    return page.evaluate(
        """async () => {
          const registration = await navigator.serviceWorker.ready;
          if (!navigator.serviceWorker.controller) {
            await new Promise((resolve) =>
              navigator.serviceWorker.addEventListener('controllerchange', resolve));
          }
          return registration.active.scriptURL;
        }"""
    )


def test_the_app_installs_works_offline_and_caches_nothing_personal(
    strict_page, live_server, make_user
):
    from learnward.notifications.services import notify

    page = strict_page
    learner = make_user(email="pia.personal@example.test", display_name="Pia Personalname")
    notify(user=learner, kind="marking_done", title="Secret essay title was marked")

    manifest = page.request.get("/manifest.webmanifest")
    assert manifest.headers["content-type"] == "application/manifest+json"
    data = manifest.json()
    for member in ("name", "short_name", "start_url", "display", "theme_color", "icons"):
        assert data[member], member
    assert data["display"] == "standalone"
    for icon in data["icons"]:
        response = page.request.get(icon["src"])
        assert response.ok and response.headers["content-type"] == "image/png", icon["src"]

    log_in(page, learner.email)
    page.goto("/")
    assert page.evaluate("document.querySelector('link[rel=manifest]').href").endswith(
        "/manifest.webmanifest"
    )
    assert _wait_for_worker(page).endswith("/sw.js")

    for path in ("/notifications/", "/notifications/settings/", "/accounts/profile/", "/"):
        page.goto(path)
        expect(page.get_by_role("main")).to_be_visible()
    assert "Secret essay title" in page.goto("/notifications/").text()

    entries = page.evaluate(CACHE_CONTENTS)
    paths = {e["path"] for e in entries}
    assert "/offline/" in paths
    assert all(p == "/offline/" or p.startswith("/static/") for p in paths), paths
    for entry in entries:
        for secret in ("pia.personal", "Personalname", "Secret essay", "csrfmiddlewaretoken"):
            assert secret not in entry["body"], (entry["path"], secret)

    page.context.set_offline(True)
    try:
        page.goto("/notifications/")
        expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
        assert "Secret essay" not in page.content()
    finally:
        page.context.set_offline(False)
    page.goto("/notifications/")
    expect(page.get_by_role("heading", name="Notifications", exact=True)).to_be_visible()


def test_the_offline_page_is_accessible(page):
    page.goto("/offline/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    check_accessibility(page, label="offline page")
