"""No email address, name or password in the application's log output.

Every logger is turned up to DEBUG (including those our settings quieten, such as axes), so the
test proves what the code would log, not only what today's levels let through. Records from the
test's own SMTP server ("mail.log", aiosmtpd) are not the application's and are left out.
"""

import logging

import pytest
from django.urls import reverse

from .conftest import signup_data

pytestmark = pytest.mark.django_db

EMAIL = "private.person@example.test"
NAME = "Priya Privateperson"
PASSWORD = "secret-walrus-jumps-5"
WRONG_PASSWORD = "guessed-walrus-jumps-6"
NEW_PASSWORD = "fresh-penguin-dives-8"
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def all_logs(caplog):
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        if not name.startswith("mail.log"):
            caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def leaked(caplog) -> list[str]:
    needles = [
        EMAIL,
        EMAIL.split("@")[0],
        NAME,
        NAME.split()[1],
        PASSWORD,
        WRONG_PASSWORD,
        NEW_PASSWORD,
    ]
    found = []
    for record in caplog.records:
        if record.name.startswith("mail.log"):
            continue
        text = record.getMessage() + " " + (record.exc_text or "") + " " + repr(record.__dict__)
        for needle in needles:
            if needle.lower() in text.lower():
                found.append(f"{record.name}: {record.getMessage()[:200]}")
    return found


def test_signup_verification_login_lockout_and_reset_log_nothing_personal(
    client, smtp_server, commit, all_logs, settings
):
    # Sign-up and verification
    commit(
        client.post,
        reverse("accounts:signup"),
        signup_data(email=EMAIL, display_name=NAME, password1=PASSWORD, password2=PASSWORD),
    )
    [verify] = smtp_server.to(EMAIL)
    client.get(next(u for u in verify.links() if "/verify/" in u).removeprefix(BASE))
    # A bad link, a duplicate sign-up, a resend
    client.get(reverse("accounts:verify", args=["tampered:token"]))
    commit(client.post, reverse("accounts:signup"), signup_data(email=EMAIL, display_name=NAME))
    commit(client.post, reverse("accounts:verify_resend"), {"email": EMAIL})

    # Login: success, logout, failures up to the lockout, a refused attempt while locked out
    client.post(reverse("accounts:login"), {"username": EMAIL, "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(reverse("accounts:login"), {"username": EMAIL, "password": WRONG_PASSWORD})

    # Password reset by email
    commit(client.post, reverse("accounts:password_reset"), {"email": EMAIL})
    reset = [m for m in smtp_server.to(EMAIL) if m.subject == "Reset your password"][0]
    form_url = client.get(next(u for u in reset.links() if "/reset/" in u).removeprefix(BASE))[
        "Location"
    ]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.post(reverse("accounts:login"), {"username": EMAIL, "password": NEW_PASSWORD})

    assert len(all_logs.records) > 5  # the capture really saw the application's logging
    assert any(r.name == "learnward.core.mail" for r in all_logs.records)
    # ... including the one line per request that production writes (learnward.core.requestlog)
    assert sum(r.name == "learnward.request" for r in all_logs.records) >= 10
    assert leaked(all_logs) == []


def test_too_young_applicant_leaves_no_trace_in_logs(client, all_logs):
    client.post(
        reverse("accounts:signup"),
        signup_data(
            email=EMAIL,
            display_name=NAME,
            date_of_birth="2099-01-01",
            password1=PASSWORD,
            password2=PASSWORD,
        ),
    )
    from datetime import date

    from django.utils import timezone

    today = timezone.localdate()
    client.post(
        reverse("accounts:signup"),
        signup_data(
            email=EMAIL,
            display_name=NAME,
            date_of_birth=date(today.year - 10, 1, 1).isoformat(),
            password1=PASSWORD,
            password2=PASSWORD,
        ),
    )
    assert leaked(all_logs) == []


# --- Access logs: what a real HTTP server writes for every request --------------------------------
# pytest's client never reaches a server, so these requests go through Django's own HTTP server
# (runserver's request handler), which writes one line per request, with the full request line
# (path and query string), to the "django.server" logger: here, a file, as an operator would keep it.


class _Browser:
    """Cookies, CSRF token and redirects, over real HTTP (urllib)."""

    def __init__(self, base: str) -> None:
        from http.cookiejar import CookieJar
        from urllib.request import HTTPCookieProcessor, build_opener

        self.base = base
        self.jar = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.jar))

    def _open(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        from urllib.error import HTTPError
        from urllib.parse import urlencode

        body = None
        if data is not None:
            token = next(c.value for c in self.jar if c.name == "csrftoken")
            body = urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        url = path if path.startswith("http") else self.base + path
        try:
            with self.opener.open(url, data=body, timeout=30) as response:
                return response.status, response.url, response.read().decode()
        except HTTPError as error:
            return error.code, error.url, error.read().decode()

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(path)

    def post(self, path: str, data: dict) -> tuple[int, str, str]:
        return self._open(path, data)

    def submit(self, page: str, data: dict, *, form_with: str, url: str) -> tuple[int, str, str]:
        """Submit the form of ``page`` (at ``url``) that contains ``form_with``, by its own
        method and action, with its hidden fields, as a browser would."""
        import html
        import re
        from urllib.parse import urlencode

        for match in re.finditer(r"<form\b([^>]*)>(.*?)</form>", page, re.S):
            if form_with not in match.group(2):
                continue
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
            hidden = {
                html.unescape(name): html.unescape(value)
                for name, value in re.findall(
                    r'<input type="hidden" name="([^"]*)" value="([^"]*)"', match.group(2)
                )
                if name != "csrfmiddlewaretoken"
            }
            action = html.unescape(attrs.get("action") or url)
            fields = {**hidden, **data}
            if attrs.get("method", "get").lower() == "post":
                return self.post(action, fields)
            return self.get(f"{action.split('?')[0]}?{urlencode(fields)}")
        raise AssertionError(f"no form with {form_with} on the page")


@pytest.fixture
def access_logged_server(settings, tmp_path):
    """Django's HTTP server on 127.0.0.1 in a thread; yields (base URL, access log path)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import WSGIRequestHandler
    from django.test.testcases import LiveServerThread

    class LoggingServerThread(LiveServerThread):
        def _create_server(self, connections_override=None):
            return self.server_class(
                (self.host, self.port),
                WSGIRequestHandler,  # runserver's handler: it logs each request
                allow_reuse_address=False,
                connections_override=connections_override,
            )

    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    path = tmp_path / "access.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("[%(server_time)s] %(message)s"))
    server_logger = logging.getLogger("django.server")
    server_logger.addHandler(handler)
    thread = LoggingServerThread("127.0.0.1", StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://127.0.0.1:{thread.port}", path
    finally:
        thread.terminate()
        server_logger.removeHandler(handler)
        handler.close()


def _access_log_leaks(path, extra: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    from urllib.parse import quote

    lines = path.read_text(encoding="utf-8").splitlines()
    needles = {EMAIL, EMAIL.split("@")[0], quote(EMAIL), NAME, NAME.split()[1], *extra}
    needles |= {quote(n) for n in list(needles)} | {quote(n, safe="") for n in list(needles)}
    return lines, [line for line in lines if any(n.lower() in line.lower() for n in needles)]


@pytest.mark.django_db(transaction=True)
def test_the_dpo_subject_lookup_leaves_no_address_in_the_access_log(
    access_logged_server, make_user, all_logs
):
    from learnward.accounts.roles import DPO
    from learnward.privacy.rights import desk

    base, access_log = access_logged_server
    subject = make_user(email=EMAIL, display_name=NAME)
    make_user(email="officer@example.test", display_name="Dee Officer", roles=[DPO])
    request = desk.request_record(
        kind="erasure", channel="letter", actor=None, requester=subject, details="Erase me"
    )
    browser = _Browser(base)
    browser.get("/accounts/login/")
    status, url, _ = browser.post(
        "/accounts/login/",
        {"username": "officer@example.test", "password": "correct horse battery"},
    )
    assert status == 200 and "/accounts/login/" not in url

    # The lookup form, submitted the way the page says (its method); then the subject's page.
    status, _, page = browser.get("/staff/privacy/subjects/")
    assert status == 200
    status, found, page = browser.submit(
        page, {"email": EMAIL}, form_with='name="email"', url="/staff/privacy/subjects/"
    )
    assert status == 200 and "Erasure plan" in page and EMAIL in page
    # From the request's page, the link to the subject.
    status, _, page = browser.get(f"/staff/privacy/requests/{request.pk}/")
    link = page.split('">Restrict, export or erase for this account')[0].rsplit('href="', 1)[1]
    status, _, page = browser.get(link)
    assert status == 200 and "Erasure plan" in page
    # Restrict, then erase: each returns to the subject's page.
    status, _, page = browser.post(
        "/staff/privacy/subjects/restrict/", {"email": EMAIL, "reason": "Disputed accuracy"}
    )
    assert status == 200 and "Processing restricted." in page
    status, _, page = browser.post(
        "/staff/privacy/subjects/erase/",
        {"email": EMAIL, "reason": "Request by letter", "confirm": "ERASE"},
    )
    assert status == 200 and "Erased:" in page
    status, _, page = browser.get(found)  # the old token still shows the (now empty) plan
    assert status == 200

    lines, leaks = _access_log_leaks(access_log)
    assert len(lines) >= 10, lines  # the server really logged every request
    assert leaks == [], "personal data in the access log:\n" + "\n".join(leaks)
    assert any('"POST /staff/privacy/subjects/ HTTP/1.1" 302' in line for line in lines), lines
    assert leaked(all_logs) == []


@pytest.mark.django_db(transaction=True)
def test_staff_searches_in_the_admin_leave_no_address_in_the_access_log(
    access_logged_server, make_user, all_logs
):
    import html
    import re

    from learnward.accounts.roles import ADMINISTRATOR

    base, access_log = access_logged_server
    make_user(email=EMAIL, display_name=NAME)
    make_user(email="admin@example.test", display_name="Ada Admin", roles=[ADMINISTRATOR])
    browser = _Browser(base)
    browser.get("/accounts/login/")
    browser.post(
        "/accounts/login/", {"username": "admin@example.test", "password": "correct horse battery"}
    )
    for changelist, term in (
        ("/admin/accounts/user/", EMAIL),
        ("/admin/accounts/user/", NAME),
        ("/admin/support/enquiry/", EMAIL),
        ("/admin/certificates/certificate/", NAME),
    ):
        status, _, page = browser.get(changelist)
        assert status == 200, changelist
        status, _, page = browser.submit(page, {"q": term}, form_with='name="q"', url=changelist)
        assert status == 200, changelist
        if changelist == "/admin/accounts/user/":
            # Sort the results, then open a row: the search survives each step.
            sort = next(h for h in re.findall(r'href="(\?[^"]*o=[^"]*)"', page))
            status, _, page = browser.get(changelist + html.unescape(sort))
            assert status == 200 and EMAIL in page and "1 result" in page
            row = re.search(r'href="(/admin/accounts/user/\d+/change/[^"]*)"', page).group(1)
            assert browser.get(html.unescape(row))[0] == 200

    lines, leaks = _access_log_leaks(access_log)
    assert len(lines) >= 12, lines
    assert sum(r.name == "learnward.request" for r in all_logs.records) >= 12
    assert leaks == [], "personal data in the access log:\n" + "\n".join(leaks)
    assert leaked(all_logs) == []
