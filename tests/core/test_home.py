import pytest

pytestmark = pytest.mark.django_db


def test_home_page_introduces_the_site_to_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert '<html lang="en-GB">' in html
    assert 'href="#main"' in html and 'id="main"' in html  # skip link
    assert 'href="/accounts/signup/"' in html and 'href="/accounts/login/"' in html
    assert "<title>" in html


def test_home_page_greets_a_signed_in_learner(client, make_user):
    client.force_login(make_user(display_name="Ann Example"))
    html = client.get("/").content.decode()
    assert "Ann Example" in html
    assert 'action="/accounts/logout/"' in html  # log out is a form, not a link
    assert 'href="/accounts/signup/"' not in html


def test_pages_carry_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
