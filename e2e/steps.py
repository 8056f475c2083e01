"""Steps the browser tests share: signing in through the login form, finding navigation links
(header, account menu, staff area), typing dates, and the path of a URL."""

from __future__ import annotations

from urllib.parse import urlsplit

PASSWORD = "correct horse battery"


def log_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def open_account_menu(page) -> None:
    """Open the header's account menu (a <details> disclosure) if it is closed."""
    menu = page.locator("details.account-menu")
    if menu.is_visible() and menu.get_attribute("open") is None:
        menu.locator("summary").click()


def nav_to(page, name: str) -> None:
    """Follow a navigation link wherever it now lives: the header's main navigation, the
    account menu (opened first), or the staff area's navigation (through "Staff area")."""
    header = page.get_by_role("banner")
    link = header.get_by_role("link", name=name, exact=True)
    if link.count() and link.first.is_visible():
        link.first.click()
        return
    open_account_menu(page)
    if link.count() and link.first.is_visible():
        link.first.click()
        return
    staff = page.get_by_role("navigation", name="Staff")
    if not staff.count():
        header.get_by_role("link", name="Staff area").click()
    page.get_by_role("navigation", name="Staff").get_by_role("link", name=name, exact=True).click()


def log_out(page) -> None:
    """Log out through the account menu."""
    open_account_menu(page)
    page.get_by_role("banner").get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def fill_date(page, legend: str, iso_date: str) -> None:
    """Type a date (YYYY-MM-DD) into the day, month and year boxes of the date input whose
    legend is ``legend``."""
    year, month, day = iso_date.split("-")
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(int(day)))
    group.get_by_label("Month").fill(str(int(month)))
    group.get_by_label("Year").fill(year)
