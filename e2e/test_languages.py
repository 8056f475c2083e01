"""The whole platform in Dutch and in French, in Chromium (docs/translation.md, "The checks").

For each language: sign up on a page in that language; the verification email arrives in it;
the certificate PDF's text (pdftotext) is in it; the privacy notice is in it; and axe-core runs
clean on each page with the right ``lang``. The expected words come from the committed
catalogues, so the test fails when a page, the email or the PDF falls back to English.
"""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from django.utils import translation
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import path_of

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-walk-by-the-canal"

# Per language: the browser's locale, and English phrases that must not appear.
LANGUAGES = {
    "nl": {"locale": "nl-BE", "month": "december", "dutch_or_french": "Certificaat"},
    "fr": {"locale": "fr-BE", "month": "décembre", "dutch_or_french": "Certificat"},
}


def _t(code: str, message: str) -> str:
    with translation.override(code):
        return translation.gettext(message)


@pytest.fixture
def browser_page(browser, live_server, request):
    code = request.param
    context = browser.new_context(
        base_url=live_server.url, locale=LANGUAGES[code]["locale"], bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield code, page
    context.close()


@pytest.mark.parametrize("browser_page", ["nl", "fr"], indirect=True)
def test_sign_up_verify_certificate_and_notice_in_the_language(
    browser_page, live_server, smtp_server, settings, tmp_path
):
    from django.core.cache import cache

    from learnward.accounts.models import User
    from learnward.certificates.services import certificate_issue

    code, page = browser_page
    cache.clear()
    settings.BASE_URL = live_server.url
    settings.ISSUER_KEY_FILE = tmp_path / "issuer_ed25519"
    email = f"taal-{code}@example.test"

    # 1. A first visit with a Dutch (French) browser lands on the page in that language.
    page.goto("/accounts/signup/")
    assert path_of(page.url) == f"/{code}/accounts/signup/"
    assert page.locator("html").get_attribute("lang") == code
    heading = _t(code, "Create an account")
    assert heading != "Create an account"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_accessibility(page, label=f"sign-up page ({code})")

    # 2. Sign up with the labels of that language.
    page.get_by_label(_t(code, "Email address")).fill(email)
    page.get_by_label(_t(code, "Your name")).fill("Ann Peeters")
    page.locator("#id_date_of_birth_day").fill("12")
    page.locator("#id_date_of_birth_month").fill("4")
    page.locator("#id_date_of_birth_year").fill("1990")
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label(_t(code, "Password again")).fill(PASSWORD)
    page.get_by_role("button", name=_t(code, "Create account")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_t(code, "Check your email"))
    user = User.objects.get(email=email)
    assert user.language == code

    # 3. The verification email is in that language, with a link to the page in it.
    [mail] = smtp_server.to(email)
    assert mail.subject == _t(code, "Confirm your email address")
    assert mail.subject != "Confirm your email address"
    assert "Please confirm" not in mail.text and "Hello" not in mail.text
    link = next(link for link in mail.links() if "/accounts/verify/" in link)
    assert f"/{code}/accounts/verify/" in link
    page.goto(path_of(link))
    expect(page.get_by_role("heading", level=1)).to_have_text(_t(code, "Email address confirmed"))
    check_accessibility(page, label=f"email confirmed ({code})")

    # 4. Log in on the page in that language.
    page.goto(f"/{code}/accounts/login/")
    page.get_by_label(_t(code, "Email address")).fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=_t(code, "Log in")).click()
    page.wait_for_load_state()

    # 5. A certificate awarded to them: its PDF is written in their language.
    certificate = certificate_issue(
        user=user,
        holder_name=user.display_name,
        course_title="GDPR essentials",
        cpd_hours="2.5",
        awarded_on=date(2026, 12, 6),
        expires_on=date(2027, 12, 6),
    )
    response = page.request.get(f"/{code}/certificates/{certificate.display_code}/pdf/")
    assert response.status == 200
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Ann Peeters" in text
    assert LANGUAGES[code]["month"] in text  # "6 december 2026" / "6 décembre 2026"
    assert "2,5" in text  # CPD hours with a decimal comma
    assert LANGUAGES[code]["dutch_or_french"] in text
    for english in ("December", "Certificate", "awarded", "Valid until", "CPD hours"):
        assert english not in text, f"{english!r} in the {code} certificate:\n{text}"

    # 6. The privacy notice is in that language.
    page.goto(f"/{code}/privacy/")
    assert page.locator("html").get_attribute("lang") == code
    notice_heading = page.get_by_role("heading", level=1).inner_text()
    assert notice_heading == _t(code, "Privacy notice")
    body = page.locator("main").inner_text()
    for english in ("Who we are", "Your rights", "How to complain", "How long we keep it"):
        assert english not in body, f"{english!r} on the {code} notice"
    assert _t(code, "Your rights") in body
    check_accessibility(page, label=f"privacy notice ({code})")

    # 7. The switcher: the same page in English, and back.
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/privacy/")
    assert path_of(page.url) == "/privacy/"
    assert page.locator("html").get_attribute("lang") == "en-GB"
    user.refresh_from_db()
    assert user.language == "en-gb"  # signed in: the switcher saves the choice
