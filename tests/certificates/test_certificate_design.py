"""The certificate's design: the two PDF layouts with the provider's branding, REVOKED across a
revoked certificate, the verification page's status panel and picture, the signed credential
beside it, the pass page's link and the holder's list actions."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
import time_machine
import zxingcpp
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from learnward.certificates.models import Certificate
from learnward.certificates.pdf import certificate_pdf_bytes
from learnward.certificates.services import certificate_issue, certificate_revoke
from learnward.certificates.thumbnail import render_png
from learnward.core.branding import save_branding

LONDON = ZoneInfo("Europe/London")
LAYOUTS = ("classic", "modern")


def _png(colour=(29, 79, 145), size=(300, 100)) -> bytes:
    image = Image.new("RGB", size, colour)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def branded(db):
    save_branding(
        legal_name="Harbourside Training Ltd",
        website="https://harbourside.example",
        primary_colour="#1d4f91",
        signatory_name="Dr Helen Marsh",
        signatory_title="Head of Training",
        logo=_png(),
        signature=_png((20, 30, 80)),
    )


@pytest.fixture
def accredited_course(make_course):
    from learnward.catalog.models import AwardingBody

    body = AwardingBody.objects.create(name="Skills for Care Awarding", purpose="Registration.")
    return make_course(awarding_body=body, accreditation_number="CPD-2026-0417")


def _text(tmp_path, pdf: bytes) -> str:
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _page_image(tmp_path, pdf: bytes) -> Image.Image:
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "110", "-singlefile", str(path), str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    return Image.open(tmp_path / "page.png").convert("L")


# --- the PDF -------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_is_one_a4_page_with_embedded_fonts_and_a_qr_code_of_the_verify_url(
    tmp_path, certificate, layout
):
    pdf = certificate_pdf_bytes(certificate=certificate, layout=layout)
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"Page size: +841\.89 x 595\.2\d* pts \(A4\)", info.stdout)
    assert "Pages:           1" in info.stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        assert "TrueType" in row and row.split()[-5:-3] == ["yes", "yes"]  # embedded, subset
    results = zxingcpp.read_barcodes(_page_image(tmp_path, pdf))
    assert [r.text for r in results] == [
        f"http://127.0.0.1:8000/verify/{certificate.display_code}/"
    ]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_prints_the_branding_awarding_body_accreditation_and_hours(
    tmp_path, branded, accredited_course, make_user, complete, layout
):
    accredited_course.certificate_layout = layout
    accredited_course.save()
    certificate = complete(user=make_user(display_name="Amira Okafor"), course=accredited_course)
    assert certificate.layout == layout
    pdf = certificate_pdf_bytes(certificate=certificate)
    text = " ".join(_text(tmp_path, pdf).split())
    for expected in (
        "Harbourside Training Ltd",
        "Amira Okafor",
        "Safeguarding Adults Level 2",
        "Awarding body: Skills for Care Awarding",
        "Accreditation number: CPD-2026-0417",
        "Dr Helen Marsh",
        "Head of Training",
        certificate.display_code,
    ):
        assert expected in text, expected
    assert re.search(r"3\.5 CPD hours", text)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        (page,) = document.pages
        # The logo and the signature are images on the page; the hours are the largest text
        # after the heading (classic) or the largest of all (modern).
        assert len(page.images) == 2
        assert any(c["text"] == "5" and c["size"] >= 23.9 for c in page.chars)


def test_without_a_logo_or_signature_there_are_no_images(certificate):
    pdf = certificate_pdf_bytes(certificate=certificate)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert document.pages[0].images == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_revoked_certificate_has_revoked_across_it_and_a_valid_one_does_not(
    tmp_path, certificate, layout
):
    assert "REVOKED" not in _text(tmp_path, certificate_pdf_bytes(certificate=certificate))
    revoked = certificate_revoke(certificate=certificate, reason="Issued in error", actor=None)
    text = _text(tmp_path, certificate_pdf_bytes(certificate=revoked, layout=layout))
    assert "REVOKED" in text
    assert f"Revoked on {revoked.revoked_on:%-d %B %Y}" in " ".join(text.split())
    # The QR code still reads under the stamp, so a verifier can check the status.
    image = _page_image(tmp_path, certificate_pdf_bytes(certificate=revoked, layout=layout))
    assert zxingcpp.read_barcodes(image)[0].text.endswith(f"/verify/{revoked.display_code}/")


def test_the_design_is_kept_at_award_and_later_course_edits_change_nothing(
    tmp_path, accredited_course, make_user, complete
):
    accredited_course.certificate_layout = "modern"
    accredited_course.save()
    certificate = complete(user=make_user(), course=accredited_course)
    accredited_course.certificate_layout = "classic"
    accredited_course.accreditation_number = "NEW-1"
    accredited_course.awarding_body = None
    accredited_course.save()
    certificate.refresh_from_db()
    assert (certificate.layout, certificate.awarding_body, certificate.accreditation_number) == (
        "modern",
        "Skills for Care Awarding",
        "CPD-2026-0417",
    )
    assert "CPD-2026-0417" in _text(tmp_path, certificate_pdf_bytes(certificate=certificate))


def test_a_reissue_keeps_the_design(accredited_course, make_user, complete):
    from learnward.certificates.services import certificate_reissue

    accredited_course.certificate_layout = "modern"
    accredited_course.save()
    old = complete(user=make_user(), course=accredited_course)
    new = certificate_reissue(certificate=old, holder_name="Corrected Name", actor=None)
    assert (new.layout, new.awarding_body, new.accreditation_number) == (
        "modern",
        "Skills for Care Awarding",
        "CPD-2026-0417",
    )


# --- the verification page ----------------------------------------------------------------------


def _issue(user, *, expires_on: date, awarded_on: date | None = None) -> Certificate:
    return certificate_issue(
        user=user,
        holder_name="Amira Okafor",
        course_title="Fire Safety Awareness",
        cpd_hours="2",
        awarded_on=awarded_on or expires_on - timedelta(days=365),
        expires_on=expires_on,
    )


def _panel(page: str) -> str:
    start = page.index('class="verify__status')
    return page[start : page.index("</section>", start)]


def test_the_status_panel_is_valid_until_the_day_before_the_expiry_date(client, make_user):
    user = make_user()
    today = date(2026, 12, 6)
    tomorrow = _issue(user, expires_on=today + timedelta(days=1))
    on_the_day = _issue(user, expires_on=today)
    yesterday = _issue(user, expires_on=today - timedelta(days=1))
    noon = datetime(2026, 12, 6, 12, 0, tzinfo=LONDON)
    with time_machine.travel(noon, tick=False):
        valid = _panel(client.get(f"/verify/{tomorrow.display_code}/").text)
        expired_today = _panel(client.get(f"/verify/{on_the_day.display_code}/").text)
        expired = _panel(client.get(f"/verify/{yesterday.display_code}/").text)
    assert 'data-status="valid"' in valid and "panel--success" in valid
    assert ">Valid</h2>" in valid
    assert 'Valid until <time datetime="2026-12-06">6 December 2026</time>' in valid
    assert 'data-status="expired"' in expired_today and "panel--warning" in expired_today
    assert 'Expired on <time datetime="2026-12-06">6 December 2026</time>' in expired_today
    assert "Valid until" not in expired_today
    assert 'Expired on <time datetime="2026-12-05">5 December 2026</time>' in expired


def test_a_certificate_that_never_expires_says_so(client, make_user):
    certificate = certificate_issue(
        user=make_user(),
        holder_name="Amira Okafor",
        course_title="Fire Safety Awareness",
        cpd_hours="2",
        awarded_on=date(2026, 1, 1),
        expires_on=None,
    )
    panel = _panel(client.get(f"/verify/{certificate.display_code}/").text)
    assert 'data-status="valid"' in panel and "Does not expire" in panel


def test_the_revoked_panel_gives_the_reason_and_date(client, certificate):
    revoked = certificate_revoke(
        certificate=certificate, reason="Assessment misconduct", actor=None
    )
    page = client.get(f"/verify/{revoked.display_code}/").text
    panel = _panel(page)
    assert 'data-status="revoked"' in panel and "panel--danger" in panel
    assert ">Revoked</h2>" in panel and "Assessment misconduct" in panel
    day = revoked.revoked_on
    assert f'Revoked on <time datetime="{day:%Y-%m-%d}">{day:%-d %B %Y}</time>' in panel
    assert "marked REVOKED" in page  # the picture's text alternative
    assert "Open Badges" not in page  # not offered for a certificate no one should rely on


def test_the_page_shows_the_issuer_the_picture_and_the_signed_credential(
    client, branded, accredited_course, make_user, complete
):
    certificate = complete(user=make_user(), course=accredited_course)
    page = client.get(f"/verify/{certificate.display_code}/").text
    assert f'src="/verify/{certificate.display_code}/certificate.png"' in page
    for shown in (
        "Harbourside Training Ltd",
        'href="https://harbourside.example"',
        'class="verify__logo" src="/brand/logo.png',
        "Skills for Care Awarding",
        "CPD-2026-0417",
        "This certificate is also a signed Open Badges 3.0 credential",
        f'href="/verify/{certificate.display_code}/credential.json"',
        "How an employer can check it independently",
        'href="/.well-known/did.json"',
        f'href="/credentials/status/{certificate.status_list}"',
    ):
        assert shown in page, shown


def test_the_renewal_history_links_both_ways(client, make_user):
    user = make_user()
    old = _issue(user, expires_on=date(2027, 1, 1))
    new = _issue(user, expires_on=date(2028, 1, 1), awarded_on=date(2026, 12, 1))
    Certificate.objects.filter(pk=new.pk).update(renews=old)
    old_page = client.get(f"/verify/{old.display_code}/").text
    new_page = client.get(f"/verify/{new.display_code}/").text
    assert "Renewal history" in old_page and f'href="/verify/{new.display_code}/"' in old_page
    assert "Renewal history" in new_page and f'href="/verify/{old.display_code}/"' in new_page


# --- the picture ---------------------------------------------------------------------------------


def test_the_picture_is_a_cacheable_png_of_the_pdf(client, certificate):
    url = f"/verify/{certificate.display_code}/certificate.png"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (1000, 707)
    etag = response["ETag"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    # The same picture as the PDF's page, QR code included.
    assert zxingcpp.read_barcodes(image)[0].text.endswith(f"/verify/{certificate.display_code}/")
    certificate.refresh_from_db()
    assert certificate.verification_count == 0  # a picture is not a verification


def test_the_picture_is_drawn_once_then_served_from_the_cache(
    client, certificate, django_assert_max_num_queries, monkeypatch
):
    from learnward.certificates import thumbnail

    drawn = []
    real = thumbnail.render_png
    monkeypatch.setattr(thumbnail, "render_png", lambda pdf: drawn.append(1) or real(pdf))
    url = f"/verify/{certificate.display_code}/certificate.png"
    first = client.get(url).content
    second = client.get(url).content
    assert first == second and drawn == [1]


def test_a_revoked_certificates_picture_differs(client, certificate):
    url = f"/verify/{certificate.display_code}/certificate.png"
    before = client.get(url)
    certificate_revoke(certificate=certificate, reason="Issued in error", actor=None)
    after = client.get(url, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200  # the old ETag no longer matches
    assert after["ETag"] != before["ETag"] and after.content != before.content


def test_a_change_of_branding_draws_a_new_picture(client, certificate):
    url = f"/verify/{certificate.display_code}/certificate.png"
    before = client.get(url)
    save_branding(legal_name="Another Name Ltd")
    after = client.get(url)
    assert after["ETag"] != before["ETag"]


def test_unknown_and_malformed_codes_have_no_picture_or_credential(client, certificate):
    from learnward.certificates.codes import format_code, new_code

    for code in (format_code(new_code()), "not-a-code"):
        assert client.get(f"/verify/{code}/certificate.png").status_code == 404
        assert client.get(f"/verify/{code}/credential.json").status_code == 404


def test_render_png_draws_the_page_at_the_width_asked(certificate):
    png = render_png(certificate_pdf_bytes(certificate=certificate), width=400)
    assert Image.open(io.BytesIO(png)).size == (400, 283)


# --- the public credential ----------------------------------------------------------------------


def test_anyone_can_download_the_signed_credential_which_verifies(client, certificate, tmp_path):
    from django.core.management import call_command

    response = client.get(f"/verify/{certificate.display_code}/credential.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+ld+json"
    path = tmp_path / "credential.json"
    path.write_bytes(response.content)
    call_command("verify_credential", str(path))  # exits non-zero if the proof does not check
    certificate.refresh_from_db()
    assert certificate.verification_count == 0


def test_the_credential_shares_the_verification_rate_limit(client, certificate, settings):
    settings.VERIFY_RATE_LIMIT = "2/minute"
    cache.clear()
    url = f"/verify/{certificate.display_code}/credential.json"
    assert client.get(url).status_code == 200
    assert client.get(f"/verify/{certificate.display_code}/").status_code == 200
    limited = client.get(url)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0


# --- the pass page -------------------------------------------------------------------------------


@pytest.fixture
def passed_attempt(client, make_user):
    from learnward.learning.services import enrolment_create, lesson_mark_complete
    from tests.catalog.factories import answers_for, lessons_of, make_course, post_data

    learner = make_user()
    course = make_course(questions=2)
    enrolment_create(user=learner, course=course)
    for lesson in lessons_of(course):
        lesson_mark_complete(user=learner, lesson=lesson)
    client.force_login(learner)
    client.post(reverse("assessments:start", args=[course.slug]))
    from learnward.assessments.models import Attempt

    attempt = Attempt.objects.get(user=learner)
    client.post(reverse("assessments:attempt", args=[attempt.pk]), post_data(answers_for(course)))
    return attempt


def test_the_pass_page_links_to_the_new_certificate(client, passed_attempt):
    certificate = Certificate.objects.get(user=passed_attempt.user)
    page = client.get(reverse("assessments:result", args=[passed_attempt.pk])).text
    assert f'href="/certificates/{certificate.display_code}/"' in page
    assert "View your certificate" in page
    assert f'href="/certificates/{certificate.display_code}/pdf/"' in page


def test_the_pass_page_says_when_the_certificate_is_still_being_prepared(client, passed_attempt):
    Certificate.objects.filter(user=passed_attempt.user).delete()
    page = client.get(reverse("assessments:result", args=[passed_attempt.pk])).text
    assert "Your certificate is being prepared" in page
    assert 'href="/certificates/"' in page


# --- the holder's list ---------------------------------------------------------------------------


def _card(page: str, code: str) -> str:
    start = page.index(f'data-certificate="{code}"')
    return page[start : page.index("</li>", start)]


def _actions(card: str) -> list[str]:
    return re.findall(r'data-action="([a-z]+)"', card)


def test_list_actions_follow_the_state(client, make_user, make_course, complete):
    learner = make_user()
    renewable = make_course(title="Manual handling", validity=36)
    renewable.renewal_course = renewable
    renewable.save()
    fixed = make_course(title="Food hygiene", validity=12)
    today = timezone.localdate()
    fresh = complete(user=learner, course=renewable)  # awarded today, renewable some day
    due = certificate_issue(
        user=learner,
        holder_name="Learner",
        course_title="Manual handling",
        cpd_hours="2",
        awarded_on=today - timedelta(days=1000),
        expires_on=today + timedelta(days=20),
        course=make_course(title="First aid", validity=36),
    )
    due.course.renewal_course = due.course
    due.course.save()
    not_renewable = certificate_issue(
        user=learner,
        holder_name="Learner",
        course_title="Food hygiene",
        cpd_hours="1",
        awarded_on=today - timedelta(days=350),
        expires_on=today + timedelta(days=15),
        course=fixed,
    )
    revoked = certificate_revoke(
        certificate=complete(user=learner, course=make_course(title="Fire safety")),
        reason="Issued in error",
        actor=None,
    )
    client.force_login(learner)
    page = client.get("/certificates/").text
    assert _actions(_card(page, fresh.display_code)) == ["view", "pdf", "linkedin"]
    assert "/renew/" not in _card(page, fresh.display_code)
    assert _actions(_card(page, due.display_code)) == ["renew", "view", "pdf", "linkedin"]
    assert f'href="/certificates/{due.display_code}/renew/"' in _card(page, due.display_code)
    assert _actions(_card(page, not_renewable.display_code)) == ["view", "pdf", "linkedin"]
    assert _actions(_card(page, revoked.display_code)) == ["view", "pdf"]
    # Each card shows the certificate's picture.
    assert f'src="/verify/{fresh.display_code}/certificate.png"' in _card(page, fresh.display_code)


def test_the_detail_page_offers_early_renewal_as_a_link_not_the_main_action(
    client, make_user, make_course, complete
):
    learner = make_user()
    course = make_course(validity=36)
    course.renewal_course = course
    course.save()
    fresh = complete(user=learner, course=course)
    client.force_login(learner)
    page = client.get(f"/certificates/{fresh.display_code}/").text
    assert f'<a href="/certificates/{fresh.display_code}/renew/">renew it early</a>' in page
    assert 'class="button" href="/certificates/' not in page


def test_the_course_admin_sets_the_layout_and_accreditation_number(db):
    from learnward.catalog.admin import CourseAdmin, CourseAdminForm

    fields = [f for _, options in CourseAdmin.fieldsets for f in options["fields"]]
    assert "certificate_layout" in fields and "accreditation_number" in fields
    form = CourseAdminForm()
    assert [label for _, label in form.fields["certificate_layout"].choices] == [
        "Classic",
        "Modern",
    ]
    assert "accreditation_number" in form.fields


def test_hours_are_printed_without_trailing_zeros(tmp_path, certificate):
    certificate.cpd_hours = Decimal("12.00")
    assert "12 CPD hours" in _text(tmp_path, certificate_pdf_bytes(certificate=certificate))


@pytest.mark.parametrize("name", ["W" * 200, "Amira Okafor"])
def test_in_the_modern_layout_the_longest_name_and_title_stay_in_the_text_column(certificate, name):
    from learnward.certificates.pdf import BORDER, PAGE_HEIGHT

    certificate.holder_name = name
    certificate.course_title = ("Wide Course Title Words " * 9)[:200]
    pdf = certificate_pdf_bytes(certificate=certificate, layout="modern")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = document.pages[0].chars
    text = "".join(c["text"] for c in chars)
    start = text.index("This certifies that") + len("This certifies that")
    end = text.index("has successfully completed the course")
    drawn = chars[start:end]
    assert "".join(c["text"] for c in drawn).replace(" ", "") == name.replace(" ", "")
    band_right = BORDER[0] + 232
    x0, y0, x1, y1 = BORDER
    for char in chars:
        assert x0 - 0.01 <= char["x0"] <= char["x1"] <= x1 + 0.01
        assert PAGE_HEIGHT - y1 - 0.01 <= char["top"] <= char["bottom"] <= PAGE_HEIGHT - y0 + 0.01
    assert all(c["x0"] >= band_right for c in drawn)
    assert len({round(c["top"], 2) for c in drawn}) <= 2
