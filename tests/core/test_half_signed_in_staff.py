"""A staff session that has not passed two-factor has no staff powers, on ANY page.

The walk takes every URL pattern from the URL resolver, fills its path parameters with real
objects of a world in which another person has data everywhere (``build_subject_everywhere``:
a learner with an enrolment, an attempt, a certificate, an evaluation, an enquiry, a rights
request, an export, CPD records..., every personal text field holding a unique marker), and asks
each page once as:

- (a) a superuser holding every role and tutoring the course, with a confirmed authenticator
  device, signed in but not verified with a code (two-factor optional on the site);
- (b) the same, with no device, when the site requires two-factor for staff;
- and, as the baseline, a learner with no roles and no data of their own.

A half-signed-in staff session passes when it gets nothing the learner does not: a page the
learner cannot open (404, 403, a redirect) must not open for it either (a redirect to the login
or two-factor page is what it gets instead), and no marker of the other person appears in its
response unless it appears in the learner's. The staff sign-in pages themselves are the only
pages staff may open that a learner may not (``STAFF_SIGN_IN``).

The walk itself, and what each pattern is filled with, is in tests/core/url_walk.py: a pattern
with path parameters must be filled there or listed with the reason it needs no walk, or the
test fails, so a new view cannot escape.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.core.url_walk import (
    FILL,
    NOT_WALKED,
    STAFF_SIGN_IN,
    World,
    build_world,
    urls_to_walk,
    walk,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client, settings, tmp_path) -> World:
    return build_world(client=client, settings=settings, tmp_path=tmp_path)


def _staff(make_user, world: World, *, email: str):
    """A superuser with every role who tutors the other person's course: every staff power
    there is, had the session passed two-factor. (Not a tutor of the draft: which courses one
    tutors is one's own data, shown on one's own "My data" page.)"""
    from learnward.accounts.roles import ROLE_PERMISSIONS
    from learnward.accounts.services import user_set_roles

    staff = make_user(email=email, display_name="Half Signed", is_staff=True, is_superuser=True)
    user_set_roles(user=staff, roles=list(ROLE_PERMISSIONS), actor=None)
    world.other.course.tutors.add(staff)
    return type(staff).objects.get(pk=staff.pk)


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def _signed_in(user, *, device: TOTPDevice | None = None) -> Client:
    """A session signed in as ``user``; verified with ``device`` when given (as after the code
    step), else stopped at the password step."""
    client = Client(raise_request_exception=False)  # a 500 is reported with the page's name
    client.force_login(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@dataclass(frozen=True)
class Seen:
    status: int
    markers: frozenset[str]


def _get(client: Client, url: str, user, world: World) -> Seen:
    response = client.get(url)
    if url.startswith(tuple(django_settings.STATELESS_PATH_PREFIXES)):
        # Answered without sessions (learnward.core.stateless): it cannot even see who is in.
        assert not hasattr(response.wsgi_request, "user"), url
    else:
        # The session must still be the one under test (no page may have signed it out).
        assert response.wsgi_request.user.pk == user.pk, url
    if response.streaming:
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    text = body.decode("utf-8", "replace") + response.get("Location", "")
    return Seen(response.status_code, frozenset(world.other.markers.found_in(text)))


def _walk_as(client: Client, user, world: World, only=None) -> dict[str, Seen]:
    urls = urls_to_walk(world, user)
    if only is not None:
        urls = {key: url for key, url in urls.items() if key.split(" ")[0] in only}
        assert len(urls) == len(only), urls
    return {key: _get(client, url, user, world) for key, url in urls.items()}


def _leaks(staff: dict[str, Seen], learner: dict[str, Seen], world: World) -> list[str]:
    leaks = []
    for key, seen in staff.items():
        baseline = learner[key]
        name = key.split(" ")[0]
        opened = 200 <= seen.status < 300 and not 200 <= baseline.status < 300
        if seen.status >= 500:
            leaks.append(f"{key}: {seen.status} for half-signed-in staff")
        elif opened and name not in STAFF_SIGN_IN:
            leaks.append(
                f"{key}: {seen.status} for half-signed-in staff, {baseline.status} for a learner"
            )
        extra = seen.markers - baseline.markers
        if extra:
            origin = sorted({world.other.markers.origin[m] for m in extra})
            leaks.append(f"{key}: shows {', '.join(origin)}")
    return leaks


def test_every_page_gives_half_signed_in_staff_no_more_than_a_learner(world, make_user, settings):
    learner = make_user(email="plain@example.test", display_name="Plain Learner")
    baseline = _walk_as(_signed_in(learner), learner, world)
    assert len(baseline) > 100  # the walk really walks (the admin's pages included)
    assert any(seen.markers for seen in baseline.values())  # public pages name the holder

    # (a) A device, the password given, no code yet; two-factor optional on the site.
    with_device = _staff(make_user, world, email="device@example.test")
    _device(with_device)
    seen = _walk_as(_signed_in(with_device), with_device, world)
    leaks = _leaks(seen, baseline, world)
    assert not leaks, "\n".join(leaks)
    assert seen["accounts:two_factor accounts/two-factor/"].status == 302  # to the code step
    assert seen["insights:dashboard staff/insights/"].status == 302  # staff, sent to two-factor

    # (b) No device, when the site requires two-factor for staff.
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    without = _staff(make_user, world, email="nodevice@example.test")
    seen = _walk_as(_signed_in(without), without, world)
    leaks = _leaks(seen, baseline, world)
    assert not leaks, "\n".join(leaks)
    assert seen["accounts:two_factor accounts/two-factor/"].status == 200  # enrol a device
    assert seen["insights:dashboard staff/insights/"].status == 302


# Staff-only pages of the walk, each with the other person's data in it.
STAFF_PAGES = {
    "certificates:pdf",
    "certificates:credential",
    "certificates:print",
    "certificates:renew",
    "learning:tutor_course",
    "learning:tutor_learner",
    "evaluations:results",
    "catalog:course",
    "learning:lesson",
    "insights:dashboard",
    "dpo:request",
    "dpo:subject_found",
    "support:desk_detail",
}


def test_the_walk_sees_staff_data_in_a_verified_session(world, make_user):
    """The oracle works: the same staff member, verified with a code, is reported on every
    staff-only page (a page a learner cannot open, or the other person's markers)."""
    learner = make_user(email="plain@example.test", display_name="Plain Learner")
    staff = _staff(make_user, world, email="verified@example.test")
    device = _device(staff)
    baseline = _walk_as(_signed_in(learner), learner, world, only=STAFF_PAGES)
    seen = _walk_as(_signed_in(staff, device=device), staff, world, only=STAFF_PAGES)
    reported = {leak.split(" ")[0] for leak in _leaks(seen, baseline, world)}
    assert reported == STAFF_PAGES


def test_a_new_unfilled_pattern_fails_the_walk(world, monkeypatch):
    """A view added without a FILL or NOT_WALKED entry is reported, not skipped."""
    monkeypatch.delitem(FILL, "certificates:pdf")
    with pytest.raises(AssertionError, match=r"certificates:pdf \(certificates/<str:code>/pdf/\)"):
        urls_to_walk(world, world.other.user)


def test_every_fill_and_listed_pattern_exists():
    """No stale entries: each names a pattern the resolver has."""
    keys = {route.key for route in walk()}
    assert set(FILL) - keys == set()
    assert set(NOT_WALKED) - keys == set()
    assert set(STAFF_SIGN_IN) - keys == set()


# --- the pages the issue named, verified and not ------------------------------------------------------


@pytest.fixture
def verified_staff(world, make_user):
    staff = _staff(make_user, world, email="staff@example.test")
    return staff, _device(staff)


def _pages(world: World) -> dict[str, str]:
    code = world.other.certificate.code
    course = world.other.course.slug
    return {
        "pdf": f"/certificates/{code}/pdf/",
        "credential": f"/certificates/{code}/credential.json",
        "print": f"/certificates/{code}/print/",
        "renew": f"/certificates/{code}/renew/",
        "tutor course": f"/tutor/courses/{course}/",
        "tutor learner": f"/tutor/courses/{course}/learners/{world.other.enrolment.pk}/",
        "evaluation results": f"/evaluations/results/{course}/",
    }


def test_verified_staff_get_the_other_learners_pages(world, verified_staff):
    staff, device = verified_staff
    client = _signed_in(staff, device=device)
    name = world.other.user.display_name
    holder = world.other.certificate.holder_name  # the name as on the certificate
    pages = _pages(world)
    pdf = client.get(pages["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    credential = client.get(pages["credential"])
    assert credential.status_code == 200
    assert holder in credential.text
    for page, shown in (
        ("print", holder),
        ("renew", world.other.certificate.course_title),
        ("tutor course", name),
        ("tutor learner", name),
    ):
        response = client.get(pages[page])
        assert response.status_code == 200, page
        assert shown in response.text, page
    results = client.get(pages["evaluation results"])
    assert results.status_code == 200
    assert "shared evaluation comment" in {
        world.other.markers.origin[m] for m in world.other.markers.found_in(results.text)
    }


@pytest.mark.parametrize("case", ["device, no code", "required, no device"])
def test_half_signed_in_staff_get_the_learners_answer_on_those_pages(
    world, make_user, settings, case
):
    staff = _staff(make_user, world, email="staff@example.test")
    if case == "device, no code":
        _device(staff)
    else:
        settings.STAFF_TWO_FACTOR_REQUIRED = True
    client = _signed_in(staff)
    pages = _pages(world)
    for page in ("pdf", "credential", "print", "renew"):
        assert client.get(pages[page]).status_code == 404, page  # as for any other learner
    for page in ("tutor course", "tutor learner", "evaluation results"):
        response = client.get(pages[page])
        assert response.status_code == 302, page
        assert response["Location"] == "/accounts/two-factor/", page
    # Their own certificates list is a learner's: none, and not the other person's.
    listing = client.get("/certificates/")
    assert listing.status_code == 200
    assert world.other.user.display_name not in listing.text
