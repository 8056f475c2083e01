"""The API's documentation page works under the site's Content Security Policy.

Swagger UI is served from the site's own static files (django-ninja's copy), with no inline
script and nothing from another origin, so the page keeps the site's CSP and still renders the
certificates endpoints. The browser context enforces the CSP (no ``bypass_csp``) and the test
listens for every ``securitypolicyviolation`` event and console error.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def strict_page(browser, live_server, db):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")  # CSP enforced
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_api_docs_load_under_the_csp_and_show_the_certificates_endpoints(strict_page, live_server):
    page = strict_page
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    response = page.goto("/api/v1/docs")
    assert response.status == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    # Swagger UI has rendered the schema: the certificates operation is listed.
    operation = page.locator(".opblock-summary-path", has_text="/api/v1/certificates/")
    operation.first.wait_for()
    assert page.locator(".opblock-tag", has_text="certificates").count() >= 1
    assert page.locator(".information-container .title").inner_text().startswith("Learnward API")

    violations = page.evaluate("window.__cspViolations")
    assert violations == []
    assert [e for e in errors if "Content Security Policy" in e or "Refused" in e] == []
    assert errors == []
    # Everything came from the site itself.
    assert [url for url in requests if not url.startswith(live_server.url)] == []
