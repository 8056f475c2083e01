"""Navigation by role: a short learner navigation, an account menu, and a staff area whose
navigation lists only what the person may do."""

from __future__ import annotations

import re

import pytest

from learnward.accounts.roles import ADMINISTRATOR, DPO, TUTOR

pytestmark = pytest.mark.django_db

STAFF_LINKS = [
    "Support desk",
    "Sessions to run",
    "Exams",
    "Issue certificates",
    "Employers",
    "LTI platforms",
    "Integrations",
    "Sales",
    "Evaluations",
    "Insights",
    "Rights requests",
    "Breaches",
    "Records of processing",
    "Branding",
    "Django admin",
]


def block(html: str, start: str, end: str) -> str:
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def account_menu(html: str) -> str:
    return block(html, 'class="account-menu"', "</details>")


def test_a_learner_sees_at_most_six_items_and_no_staff_links(client, make_user):
    client.force_login(make_user())
    html = client.get("/").content.decode()
    nav = block(html, 'data-nav="main"', "</nav>")
    items = re.findall(r"<li", nav)
    assert 1 <= len(items) <= 6
    for name in ("Courses", "My courses", "Certificates", "CPD record", "Community"):
        assert f">{name}</a>" in nav
    assert "Staff area" not in html
    for name in STAFF_LINKS:
        assert f">{name}</a>" not in html
    menu = account_menu(html)
    for name in ("Account", "My data", "Emails", "Orders", "Exam results", "My sessions"):
        assert f">{name}</a>" in menu
    assert "Log out" in menu


def test_the_ai_item_appears_only_when_ai_is_on(client, make_user, settings):
    client.force_login(make_user())
    settings.AI_BASE_URL = ""
    assert ">AI features</a>" not in client.get("/").content.decode()
    settings.AI_BASE_URL = "http://127.0.0.1:9/v1"
    settings.AI_MODEL = "a-model"
    assert ">AI features</a>" in account_menu(client.get("/").content.decode())


def test_organisations_appear_only_for_a_member(client, make_user):
    client.force_login(make_user())
    assert ">Organisations</a>" not in client.get("/").content.decode()


def test_signed_out_visitors_see_log_in_and_sign_up_only(client):
    html = client.get("/").content.decode()
    nav = block(html, 'data-nav="main"', "</nav>")
    assert ">Log in</a>" in nav and ">Sign up</a>" in nav
    assert "account-menu" not in html


def test_the_phone_menu_is_a_disclosure_with_the_same_links(client, make_user):
    client.force_login(make_user())
    html = client.get("/").content.decode()
    phone = block(html, '<details class="site-menu">', "</details>\n    </div>\n  </header>")
    assert '<summary class="site-menu__button">' in phone and "Menu</summary>" in phone
    assert ">My courses</a>" in phone and ">My data</a>" in phone


def test_staff_get_one_staff_area_link_and_a_navigation_by_permission(client, make_user):
    client.force_login(make_user(roles=[DPO]))
    html = client.get("/").content.decode()
    assert html.count(">Staff area</a>") == 2  # the wide header and the phone menu
    staff = client.get("/staff/").content.decode()
    nav = block(staff, 'aria-label="Staff" class="staff-nav staff-nav--wide"', "</nav>")
    for name in ("Rights requests", "Breaches", "Records of processing", "Design gallery"):
        assert f">{name}</a>" in nav
    for name in ("Sales", "Employers", "Branding", "Issue certificates", "LTI platforms"):
        assert f">{name}</a>" not in nav


def test_the_administrator_sees_branding_and_employers(client, make_user):
    client.force_login(make_user(roles=[ADMINISTRATOR]))
    staff = client.get("/staff/").content.decode()
    nav = block(staff, 'aria-label="Staff" class="staff-nav staff-nav--wide"', "</nav>")
    for name in ("Branding", "Employers", "Issue certificates", "Sales", "LTI platforms"):
        assert f">{name}</a>" in nav
    assert ">Rights requests</a>" not in nav


def test_a_tutor_finds_their_learners_in_the_staff_area(client, make_user):
    client.force_login(make_user(roles=[TUTOR]))
    staff = client.get("/staff/").content.decode()
    assert ">Learners I tutor</a>" in staff


def test_the_staff_area_is_not_for_learners(client, make_user):
    client.force_login(make_user())
    assert client.get("/staff/").status_code == 404
    assert client.get("/staff/design/").status_code == 404


def test_staff_pages_use_the_staff_area(client, make_user):
    client.force_login(make_user(roles=[DPO]))
    html = client.get("/staff/privacy/breaches/").content.decode()
    assert 'class="staff-layout"' in html
    assert 'aria-current="page" data-staff-link="breaches"' in html


def test_the_gallery_shows_each_component_with_its_markup(client, make_user):
    client.force_login(make_user(roles=[DPO]))
    html = client.get("/staff/design/").content.decode()
    for heading in ("Buttons", "Status panels and tags", "Cards", "Tables", "Date input"):
        assert f">{heading}</h2>" in html
    assert "&lt;button type=&quot;submit&quot; class=&quot;button button--danger&quot;&gt;" in html
    assert 'class="button button--danger"' in html  # and rendered


def test_pagination_shows_the_pages_around_the_current_one():
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    html = render_to_string(
        "includes/components/pagination.html",
        {"page_obj": Paginator(range(200), 10).page(9), "query": "q=first+aid"},
    )
    assert '<span aria-current="page"><span class="visually-hidden">Page </span>9</span>' in html
    assert 'href="?q=first+aid&amp;page=8" rel="prev"' in html
    assert 'href="?q=first+aid&amp;page=10" rel="next"' in html
    assert html.count("…") == 2  # 1 2 … 7 8 9 10 11 … 19 20
