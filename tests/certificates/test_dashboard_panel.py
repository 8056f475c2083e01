"""The learner downloads certificates from their dashboard; nobody else's appear there."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_the_learners_certificates_with_a_pdf_link(
    certificate, client, make_user
):
    client.force_login(certificate.user)
    page = client.get("/dashboard/").content.decode()
    assert "Your certificates" in page
    assert certificate.course_title in page
    pdf_link = f"/certificates/{certificate.display_code}/pdf/"
    assert pdf_link in page
    response = client.get(pdf_link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"

    other = make_user()
    client.force_login(other)
    page = client.get("/dashboard/").content.decode()
    assert certificate.display_code not in page and pdf_link not in page
    assert client.get(pdf_link).status_code == 404


# --- States, the renewal action and sharing on the dashboard and the certificates list -----------

from datetime import timedelta  # noqa: E402

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from learnward.certificates.models import Certificate  # noqa: E402
from learnward.certificates.renewal import renewal_course_for  # noqa: E402
from learnward.certificates.services import (  # noqa: E402
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
)
from learnward.certificates.states import (  # noqa: E402
    HolderState,
    held_certificates,
    renewal_courses,
)


def _issue(user, title, *, expires_in, course=None, awarded_days_ago=300):
    today = timezone.localdate()
    return certificate_issue(
        user=user,
        holder_name=getattr(user, "display_name", "Former Learner"),
        course_title=title,
        cpd_hours="1.5",
        awarded_on=today - timedelta(days=awarded_days_ago),
        expires_on=None if expires_in is None else today + timedelta(days=expires_in),
        course=course,
    )


@pytest.fixture
def renewable(make_course):
    """A published course that renews itself."""

    def factory(title):
        course = make_course(title=title)
        course.renewal_course = course
        course.save(update_fields=["renewal_course"])
        return course

    return factory


@pytest.fixture
def route(renewable):
    return renewable("Manual handling")


@pytest.fixture
def wallet(make_user, route, renewable):
    learner = make_user(email="wallet@example.test", display_name="Wallet Holder")
    hygiene = renewable("Food hygiene")
    c = {
        "valid": _issue(learner, "Fire safety", expires_in=200),
        "soon": _issue(learner, "Manual handling", expires_in=30, course=route),
        "expired": _issue(learner, "First aid", expires_in=-10, course=renewable("First aid")),
        "revoked": _issue(
            learner, "Infection control", expires_in=100, course=renewable("Infection control")
        ),
        "forever": _issue(learner, "Induction", expires_in=None),
        "renewed": _issue(learner, "Food hygiene", expires_in=20, course=hygiene),
    }
    certificate_revoke(certificate=c["revoked"], reason="Issued in error", actor=None)
    c["replaced"] = _issue(learner, "Moving people", expires_in=90)
    c["replacement"] = certificate_reissue(
        certificate=c["replaced"], holder_name="Wallet H. Holder", actor=None
    )
    c["renewal"] = _issue(
        learner, "Food hygiene", expires_in=385, awarded_days_ago=1, course=hygiene
    )
    Certificate.objects.filter(pk=c["renewal"].pk).update(renews=c["renewed"])
    for key, certificate in c.items():
        c[key] = Certificate.objects.get(pk=certificate.pk)
    return learner, c


def _item(page: str, code: str) -> str:
    start = page.index(f'data-certificate="{code}"')
    return page[start : page.index("</li>", start)]


def test_the_dashboard_shows_each_state_in_words_with_the_renewal_action(client, wallet):
    learner, c = wallet
    client.force_login(learner)
    page = client.get("/dashboard/").content.decode()
    expected = {
        "valid": "Valid",
        "soon": "Expiring soon",
        "expired": "Expired",
        "revoked": "Revoked",
        "forever": "Valid",
        "renewed": "Valid",
        "replaced": "Replaced",
        "replacement": "Valid",
        "renewal": "Valid",
    }
    for key, label in expected.items():
        item = _item(page, c[key].display_code)
        assert f">{label}</strong>" in item, key

    soon = _item(page, c["soon"].display_code)
    assert 'data-state="expiring-soon"' in soon and "in 30 days" in soon
    renew = f'href="/certificates/{c["soon"].display_code}/renew/"'
    assert renew in soon and ">Renew<" in soon
    # Expired but renewable: still offered.
    assert f'href="/certificates/{c["expired"].display_code}/renew/"' in page
    # No route, revoked, already renewed, or not due yet (the renewal, awarded yesterday, can be
    # renewed in its turn, but not offered as an action until it is expiring soon): no action.
    for key in ("valid", "revoked", "forever", "renewed", "replaced", "renewal"):
        assert "/renew/" not in _item(page, c[key].display_code), key
    renewed = _item(page, c["renewed"].display_code)
    assert f'Renewed by <a href="/certificates/{c["renewal"].display_code}/">' in renewed
    assert f"<code>{c['renewal'].display_code}</code>" in renewed
    replaced = _item(page, c["replaced"].display_code)
    assert f'Replaced by <a href="/certificates/{c["replacement"].display_code}/">' in replaced

    # LinkedIn only for certificates valid today.
    for key in ("valid", "soon", "forever", "renewed", "replacement", "renewal"):
        assert "linkedin.com/profile/add" in _item(page, c[key].display_code), key
    for key in ("expired", "revoked", "replaced"):
        assert "linkedin.com" not in _item(page, c[key].display_code), key


def test_the_certificates_list_shows_the_same_states(client, wallet):
    learner, c = wallet
    client.force_login(learner)
    page = client.get("/certificates/").content.decode()
    assert ">Expiring soon</strong>" in _item(page, c["soon"].display_code)
    assert ">Expired</strong>" in _item(page, c["expired"].display_code)
    assert f'href="/certificates/{c["expired"].display_code}/renew/"' in page
    assert "Renewed by" in _item(page, c["renewed"].display_code)
    assert "linkedin.com/profile/add" in _item(page, c["valid"].display_code)
    assert "linkedin.com" not in _item(page, c["revoked"].display_code)


def test_the_detail_page_states_the_renewal_route(client, wallet):
    learner, c = wallet
    client.force_login(learner)
    page = client.get(f"/certificates/{c['expired'].display_code}/").content.decode()
    assert "It has expired, but you can still renew it by completing First aid." in page
    assert f'href="/certificates/{c["expired"].display_code}/renew/"' in page
    page = client.get(f"/certificates/{c['renewed'].display_code}/").content.decode()
    assert "You have renewed this certificate" in page and c["renewal"].display_code in page


def test_expiring_soon_begins_with_the_first_reminder(wallet, settings):
    _, c = wallet
    today = timezone.localdate()
    (held,) = held_certificates([c["valid"]], today=today)  # 200 days left
    assert held.state == HolderState.VALID
    settings.CERTIFICATE_REMINDER_DAYS = "200,30"
    (held,) = held_certificates([c["valid"]], today=today)
    assert held.state == HolderState.EXPIRING_SOON and held.days_left == 200
    (held,) = held_certificates([c["valid"]], today=today - timedelta(days=1))
    assert held.state == HolderState.VALID


def test_the_batched_renewal_routes_agree_with_renewal_course_for(wallet, renewable, make_course):
    _, c = wallet
    unpublished = make_course(title="Old refresher")
    unpublished.published = False
    unpublished.save(update_fields=["published"])
    elsewhere = make_course(title="Lifting")
    elsewhere.renewal_course = unpublished
    elsewhere.save(update_fields=["renewal_course"])
    holder = c["valid"].user
    extra = [
        _issue(holder, "Lifting", expires_in=40, course=elsewhere),
        _issue(holder, "Induction", expires_in=None, course=renewable("Induction")),
        # An older certificate for a course whose newer one is held: only the newer renews.
        _issue(
            holder, "First aid", expires_in=-400, awarded_days_ago=800, course=c["expired"].course
        ),
        _issue(None, "Orphan", expires_in=30, course=renewable("Orphan")),
    ]
    certificates = list(Certificate.objects.filter(user=holder)) + extra
    batched = renewal_courses(certificates)
    for certificate in certificates:
        assert batched[certificate.pk] == renewal_course_for(certificate), certificate.course_title
    assert {k for k, v in batched.items() if v is not None} == {
        c["soon"].pk,
        c["expired"].pk,
        c["renewal"].pk,
    }


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_certificates(client, make_user, route):
    learner = make_user()
    client.force_login(learner)
    first = _issue(learner, "Manual handling", expires_in=20, course=route)
    client.get("/dashboard/")  # warm sessions and permissions alike for both measurements
    client.get("/certificates/")
    dashboard, listing = _queries(client, "/dashboard/"), _queries(client, "/certificates/")
    renewal = _issue(learner, "Manual handling", expires_in=400, course=route)
    Certificate.objects.filter(pk=renewal.pk).update(renews=first)
    for n in range(6):
        certificate = _issue(learner, f"Course {n}", expires_in=10 + n * 30, course=route)
        if n % 3 == 0:
            certificate_revoke(certificate=certificate, reason="Issued in error", actor=None)
    assert _queries(client, "/dashboard/") == dashboard
    assert _queries(client, "/certificates/") == listing


def test_the_demo_learner_has_a_certificate_expiring_soon_with_a_reminder_due(client):
    from io import StringIO

    from django.core.management import call_command

    from learnward.accounts.models import User

    for _ in range(2):  # idempotent: the second run adds nothing
        call_command("demo", stdout=StringIO())
    learner = User.objects.get(email="learner@learnward.test")
    expiring = Certificate.objects.get(user=learner, course_title="Manual handling")
    assert Certificate.objects.filter(user=learner, course_title="Manual handling").count() == 1
    client.force_login(learner)
    page = client.get("/dashboard/").content.decode()
    assert ">Expiring soon</strong>" in _item(page, expiring.display_code)
    from learnward.certificates.reminders import reminder_days, reminders_due

    due = dict(reminders_due(today=timezone.localdate(), intervals=reminder_days()))
    assert due[expiring.pk] == 60  # (the demo cohort's certificates may be due too)
    out = StringIO()
    call_command("send_expiry_reminders", "--dry-run", stdout=out)
    sixty = sum(1 for interval in due.values() if interval == 60)
    assert f"Would send {sixty} reminder(s) 60 days before expiry." in out.getvalue()


def test_a_certificate_followed_by_a_later_one_for_the_course_is_not_expiring(
    make_user, make_course, client
):
    """Taken again rather than renewed: the older certificate needs nothing (no reminder is sent
    for it either), and its page says why instead of offering a renewal."""
    learner = make_user()
    course = make_course(title="Fire Safety", validity=12)
    older = _issue(learner, "Fire Safety", expires_in=20, course=course, awarded_days_ago=345)
    later = _issue(learner, "Fire Safety", expires_in=340, course=course, awarded_days_ago=25)
    states = {h.certificate.pk: h for h in held_certificates([older, later])}
    assert states[older.pk].state == HolderState.VALID and states[older.pk].has_newer
    assert states[later.pk].state == HolderState.VALID and not states[later.pk].has_newer
    client.force_login(learner)
    page = client.get(f"/certificates/{older.display_code}/").content.decode()
    assert "You hold a later certificate for this course" in page
    assert "cannot be renewed online" not in page
