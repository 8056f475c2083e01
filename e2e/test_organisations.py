"""Employers in a real browser, with axe-core on every page: staff create an organisation and
a pool of seats and invite its manager; the manager accepts from the emailed link, uploads a
CSV of five people, checks the preview and sends; two of them follow their emailed links, sign
up (the address filled in), confirm their address, sign in and accept; the seats add up.

the manager requires the course, one of the two completes it, and the compliance matrix shows
each person's cell, which is exactly the row that person sees under "What your employer sees"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import fill_date, log_in, log_out, nav_to, path_of

pytestmark = pytest.mark.e2e

PASSWORD = "heron-quay-lantern-8"
PEOPLE = [
    ("ana.silva@quayside.test", "Ana Silva", "Night shift"),
    ("tom.reid@quayside.test", "Tom Reid", "Day care"),
    ("li.wei@quayside.test", "Li Wei", ""),
    ("omar.haddad@quayside.test", "Omar Haddad", "Day care"),
    ("kate.moss@quayside.test", '=HYPERLINK("http://evil.test","Kate")', "Kitchen"),
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


def _fits_a_phone(page) -> None:
    """At 390 pixels wide the page does not scroll sideways (wide tables scroll inside)."""
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    page.set_viewport_size({"width": 1280, "height": 720})


def _link(smtp_server, address: str, marker: str) -> str:
    links = [u for m in smtp_server.to(address) for u in m.links() if marker in u]
    assert links, f"no {marker} link sent to {address}"
    return path_of(links[-1])


def _accept_as_new_person(browser, live_server, smtp_server, email: str, name: str) -> None:
    context = browser.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    invitation = _link(smtp_server, email, "/organisations/invitations/")
    page.goto(invitation)
    expect(page.get_by_role("heading", name="Join Quayside Homes")).to_be_visible()
    check_accessibility(page, label="invitation, signed out")
    page.get_by_role("link", name="Create an account").click()
    expect(page.get_by_label("Email address", exact=True)).to_have_value(email)
    page.get_by_label("Your name").fill(name)
    fill_date(page, "Date of birth", "1990-04-12")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.goto(_link(smtp_server, email, "/accounts/verify/"))
    expect(page.get_by_role("heading", name="Email address confirmed")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Log in").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Join Quayside Homes")).to_be_visible()
    assert path_of(page.url) == invitation
    check_accessibility(page, label="invitation, signed in")
    page.get_by_role("button", name="Accept and join Quayside Homes").click()
    expect(
        page.get_by_text("You joined Quayside Homes and are enrolled on Manual handling")
    ).to_be_visible()
    page.goto("/organisations/")
    expect(page.get_by_role("heading", name="Quayside Homes")).to_be_visible()
    check_accessibility(page, label="your organisations")
    context.close()


def test_staff_set_up_an_organisation_a_manager_invites_from_a_csv_and_two_accept(
    page, browser, live_server, smtp_server, settings, make_user, tmp_path
):
    from learnward.accounts.roles import ADMINISTRATOR
    from learnward.organisations.models import Invitation, SeatPool
    from tests.catalog.factories import make_course

    settings.BASE_URL = live_server.url
    course = make_course(title="Manual handling", questions=0, certificate_validity_months=12)
    make_user(email="admin@example.test", display_name="Morgan Admin", roles=[ADMINISTRATOR])
    make_user(email="priya@quayside.test", display_name="Priya Manager")

    # 1. Staff create the organisation, a pool of seats, and invite its manager.
    log_in(page, "admin@example.test")
    nav_to(page, "Employers")
    expect(page.get_by_role("heading", name="Organisations", exact=True)).to_be_visible()
    check_accessibility(page, label="staff organisations")
    page.get_by_label("Name", exact=True).fill("Quayside Homes")
    page.get_by_role("button", name="Create the organisation").click()
    expect(page.get_by_role("heading", name="Quayside Homes")).to_be_visible()
    check_accessibility(page, label="staff organisation page")
    page.get_by_label("Course").first.select_option(label="Manual handling")
    page.get_by_label("Seats", exact=True).fill("6")
    page.get_by_label("Seats usable until").fill(
        (timezone.localdate() + timedelta(days=180)).isoformat()
    )
    page.get_by_role("button", name="Add the seats").click()
    expect(page.get_by_text("Seats added.")).to_be_visible()
    page.get_by_label("Manager's email address").fill("priya@quayside.test")
    page.get_by_role("button", name="Invite the manager").click()
    expect(page.get_by_text("Invitation sent to the manager.")).to_be_visible()
    check_accessibility(page, label="staff organisation page with a pool")
    log_out(page)

    # 2. The manager accepts, then uploads a CSV of five people and checks the preview.
    log_in(page, "priya@quayside.test")
    page.goto(_link(smtp_server, "priya@quayside.test", "/organisations/invitations/"))
    expect(page.get_by_text("as a manager")).to_be_visible()
    page.get_by_role("button", name="Accept and join Quayside Homes").click()
    expect(page.get_by_role("heading", name="Quayside Homes", exact=True)).to_be_visible()
    check_accessibility(page, label="manager's organisation page")
    page.get_by_role("link", name="Invite from a CSV file").click()
    check_accessibility(page, label="CSV upload")
    csv_file = tmp_path / "people.csv"
    lines = ["email,name,department"] + [
        f'{e},"{n.replace(chr(34), 2 * chr(34))}",{d}' for e, n, d in PEOPLE
    ]
    csv_file.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_label("Seat").select_option(index=1)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check the invitations before sending")).to_be_visible()
    check_accessibility(page, label="CSV preview")
    assert Invitation.objects.filter(role="member").count() == 0  # nothing sent yet
    page.get_by_role("button", name="Send 5 invitations").click()
    expect(page.get_by_text("5 invitations sent.")).to_be_visible()
    check_accessibility(page, label="manager's page with invitations")

    # 3. Two of them sign up through their links and accept.
    for email, name, _ in PEOPLE[:2]:
        _accept_as_new_person(browser, live_server, smtp_server, email, name)

    pool = SeatPool.objects.get()
    page.reload()
    row = page.get_by_role("region", name="Seats by course").get_by_role(
        "row", name="Manual handling"
    )
    expect(row.get_by_role("cell")).to_have_text(
        ["6", "2", "3", "1", pool.expires_on.strftime("%-d %b %Y")]
    )
    expect(page.get_by_role("row", name="Ana Silva")).to_contain_text("Night shift")
    check_accessibility(page, label="manager's page after two accepted")
    _fits_a_phone(page)

    # 4. The manager requires the course; Ana completes it (Tom has only started).
    required = page.get_by_role("region", name="Required training")
    required.get_by_label("Course", exact=True).select_option(label="Manual handling")
    required.get_by_role("button", name=re.compile("^Require")).click()
    expect(page.get_by_text("Required of every member")).to_be_visible()
    from learnward.accounts.models import User
    from learnward.learning.services import lesson_mark_complete
    from tests.catalog.factories import lessons_of

    ana = User.objects.get(email=PEOPLE[0][0])
    for lesson in lessons_of(course):
        lesson_mark_complete(user=ana, lesson=lesson)

    # 5. The matrix shows the right cells, and Ana's own view matches the manager's row.
    page.get_by_role("link", name="Compliance matrix").click()
    check_accessibility(page, label="compliance matrix")
    _fits_a_phone(page)
    people = page.get_by_role("region", name=re.compile("Each member"))
    ana_row = people.get_by_role("row", name=re.compile("Ana Silva"))
    from learnward.core.dates import add_months

    valid_until = add_months(timezone.localdate(), 12).strftime("%-d %b %Y")
    expect(ana_row).to_contain_text(f"Certified until {valid_until}")
    expect(people.get_by_role("row", name=re.compile("Tom Reid"))).to_contain_text("In progress")
    manager_sees = ana_row.inner_text()
    log_out(page)
    log_in(page, PEOPLE[0][0], PASSWORD)
    page.goto("/privacy/my-data/")
    employer = page.get_by_role("region", name=re.compile("What managers of Quayside Homes see"))
    expect(employer).to_be_visible()
    assert employer.get_by_role("row", name=re.compile("Ana Silva")).inner_text() == manager_sees
    check_accessibility(page, label="what your employer sees")
    _fits_a_phone(page)
