"""/api/v1/docs uses only the site's own static files and no inline script, so the site's CSP
(script-src 'self') lets it run. The browser test is e2e/test_api_docs.py."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_docs_page_loads_swagger_ui_from_the_sites_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts, html
    for attributes in scripts:
        # Either a file of the site's own, or a JSON data block (never executed).
        assert 'src="/static/' in attributes or 'type="application/json"' in attributes, attributes
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in html
    assert 'href="/static/ninja/swagger-ui.css"' in html
    assert "cdn" not in html.lower()
    assert "http://" not in html and "https://" not in html


@pytest.mark.parametrize(
    "path", ["ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"]
)
def test_collectstatic_finds_the_swagger_ui_files(path):
    assert finders.find(path) is not None
