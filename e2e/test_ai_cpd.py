"""AI-assisted learning support and the CPD record, in a real browser.

The AI provider is tests/fakes/llm.py: a loopback OpenAI-compatible server standing in for
a real model (which cannot run on these machines), reached through the real `openai` client.
"""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import fill_date, log_in, nav_to
from tests.conftest import fake_llm  # noqa: F401  (the loopback provider fixture)

pytestmark = pytest.mark.e2e

EMAIL = "amara.osei@example.org"
NAME = "Amara Osei-Bonsu"


@pytest.fixture
def setup(make_user, fake_llm, settings, tmp_path):  # noqa: F811
    settings.ISSUER_KEY_FILE = tmp_path / "keys" / "issuer_ed25519"
    from learnward.catalog.models import Course, Lesson, Module
    from learnward.certificates.services import certificate_issue_for_completion
    from learnward.learning.models import Completion
    from learnward.learning.services import enrolment_create
    from learnward.privacy.records.models import Processor
    from tests.ai.conftest import LESSONS

    course = Course.objects.create(
        title="Data protection essentials",
        slug="data-protection",
        summary="UK GDPR basics.",
        cpd_hours=3,
        published=True,
        certificate_validity_months=12,
    )
    module = Module.objects.create(course=course, title="Principles", position=0)
    for position, (title, body) in enumerate(LESSONS.items()):
        Lesson.objects.create(module=module, title=title, position=position, body_markdown=body)
    Processor.objects.create(
        name="Example AI Ltd",
        service="Language model API",
        purposes=["ai_assistance"],
        data_categories=["user.content.ai_interaction"],
        location="United Kingdom",
    )
    learner = make_user(email=EMAIL, display_name=NAME, date_of_birth=date(1991, 8, 4))
    enrolment = enrolment_create(user=learner, course=course)
    completion = Completion.objects.create(enrolment=enrolment, completed_at=enrolment.enrolled_at)
    certificate_issue_for_completion(completion=completion)
    return course


def test_opt_in_ask_reflect_export_and_withdraw(
    page,
    live_server,
    setup,
    fake_llm,  # noqa: F811
    tmp_path,
):
    log_in(page, EMAIL)

    # 1. Opt in: the screen says what is sent, to whom and for how long.
    nav_to(page, "AI features")
    expect(page.get_by_text("Example AI Ltd (Language model API)").first).to_be_visible()
    expect(page.get_by_text("for 90 days").first).to_be_visible()
    check_accessibility(page, label="AI features (off)")
    page.get_by_label("I have read what is sent").check()
    page.get_by_role("button", name="Turn on AI-assisted features").click()
    expect(page.get_by_text("AI-assisted features are on.")).to_be_visible()
    # 2. Ask: passages, and with the test provider a cited answer.
    page.goto("/courses/data-protection/")
    page.get_by_label("Your question about this course").fill(
        f"I'm {NAME} ({EMAIL}). How long should we keep records, and when can consent be withdrawn?"
    )
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.get_by_role("heading", name="Relevant passages")).to_be_visible()
    expect(page.get_by_role("heading", name="AI-generated answer")).to_be_visible()
    page.get_by_role("link", name="passage 1").click()
    assert page.url.endswith("#passage-1")
    check_accessibility(page, label="ask results with AI answer")
    sent = fake_llm.sent_text()
    assert len(fake_llm.requests) == 1
    for value in (EMAIL, "Amara", "Osei", "Bonsu", "1991"):
        assert value not in sent

    # 3. Reflect on the completed course, from the prompts offered.
    page.get_by_role("link", name="CPD record").click()
    check_accessibility(page, label="CPD record")
    page.get_by_role("link", name="Reflect on “Data protection essentials”").click()
    expect(page.get_by_text("What did you learn on “Data protection essentials”?")).to_be_visible()
    check_accessibility(page, label="reflection form")
    page.get_by_label("What?", exact=True).fill("Minimisation starts from the purpose.")
    page.get_by_label("So what?").fill("We collect dates of birth we never use.")
    page.get_by_label("Now what?").fill("Propose dropping the field at the next review.")
    page.get_by_role("button", name="Save reflection").click()
    expect(page.get_by_text("Reflection saved.")).to_be_visible()
    # An outside activity joins the record.
    page.get_by_role("link", name="Add an outside activity").click()
    check_accessibility(page, label="add an outside activity")
    page.get_by_label("Title").fill("ICO webinar on subject access")
    page.get_by_label("Type").select_option("elearning")
    fill_date(page, "Date", date.today().isoformat())
    page.get_by_label("CPD hours").fill("1.5")
    page.get_by_role("button", name="Save activity").click()
    expect(page.get_by_text("Activity added to your CPD record.")).to_be_visible()
    # 4. Export the record for a period as PDF.
    year = date.today().year
    page.get_by_label("From").fill(f"{year - 1}-01-01")
    page.get_by_label("To").fill(f"{year}-12-31")
    page.get_by_role("button", name="Show").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF").click()
    pdf_path = tmp_path / "record.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Data protection essentials" in text and "Propose dropping the field" in text
    assert "Total CPD hours: 4.50" in text and "ICO webinar on subject access" in text

    # 5. Withdraw consent: AI answers stop at once; passages still work.
    nav_to(page, "AI features")
    check_accessibility(page, label="AI features (on)")
    page.get_by_role("button", name="Turn off AI-assisted features").click()
    expect(page.get_by_text("AI-assisted features are off.")).to_be_visible()
    page.goto("/courses/data-protection/")
    page.get_by_label("Your question about this course").fill("When can consent be withdrawn?")
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.get_by_role("heading", name="Relevant passages")).to_be_visible()
    assert page.get_by_role("heading", name="AI-generated answer").count() == 0
    expect(page.get_by_text("You have not turned on AI features").first).to_be_visible()
    assert len(fake_llm.requests) == 1
