"""The public /verify/ pages: what a verifier sees, noindex, errors, counting and rate limits."""

import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core.cache import cache

from learnward.certificates import counting
from learnward.certificates.codes import format_code
from learnward.certificates.services import certificate_reissue, certificate_revoke

LONDON = ZoneInfo("Europe/London")


def _mistyped(code: str) -> str:
    from learnward.certificates.codes import ALPHABET

    first = ALPHABET[(ALPHABET.index(code[0]) + 1) % 32]
    return format_code(first + code[1:])


def _unknown_code() -> str:
    from learnward.certificates.codes import new_code

    return format_code(new_code())


def test_verify_form_redirects_to_the_result_page(client, certificate):
    response = client.get("/verify/")
    assert response.status_code == 200
    assert b'name="code"' in response.content
    typed = certificate.display_code.lower().replace("-", " ")
    response = client.get("/verify/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{certificate.display_code}/"


def test_verify_form_explains_a_mistyped_code_and_a_non_code(client, certificate):
    response = client.get("/verify/", {"code": _mistyped(certificate.code)})
    assert response.status_code == 400
    assert b"typing mistake" in response.content
    response = client.get("/verify/", {"code": "hello"})
    assert response.status_code == 400
    assert b"This is not a certificate code" in response.content
    response = client.get("/verify/", {"code": ""})
    assert response.status_code == 400
    assert b"Enter the certificate code" in response.content


def test_valid_certificate_page_shows_only_what_a_verifier_needs(client, certificate):
    response = client.get(f"/verify/{certificate.display_code}/")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert b'<meta name="robots" content="noindex, nofollow">' in response.content
    page = response.content.decode()
    assert "status-valid" in page
    for shown in ["Amira Okafor", "Safeguarding Adults Level 2", "3.5", certificate.display_code]:
        assert shown in page
    assert "holder@example.test" not in page  # nothing else about the person


def test_lowercase_or_undashed_codes_redirect_to_the_canonical_page(client, certificate):
    response = client.get(f"/verify/{certificate.code.lower()}/")
    assert response.status_code == 301
    assert response["Location"] == f"/verify/{certificate.display_code}/"


def test_expired_certificate_stays_verifiable_as_expired(client, certificate):
    later = datetime.combine(certificate.expires_on, datetime.min.time(), tzinfo=LONDON)
    with time_machine.travel(later, tick=False):
        response = client.get(f"/verify/{certificate.display_code}/")
    assert response.status_code == 200
    assert b"status-expired" in response.content
    assert b'has <strong class="status-expired">expired</strong>' in response.content


def test_revoked_certificate_shows_date_and_reason_not_404(client, certificate, make_user):
    certificate_revoke(
        certificate=certificate, reason="Assessment misconduct", actor=make_user(is_staff=True)
    )
    response = client.get(f"/verify/{certificate.display_code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "status-revoked" in page and "Assessment misconduct" in page


def test_superseded_certificate_links_to_the_new_code(client, certificate, make_user):
    new = certificate_reissue(
        certificate=certificate, holder_name="Amira O. Okafor", actor=make_user(is_staff=True)
    )
    page = client.get(f"/verify/{certificate.display_code}/").content.decode()
    assert "Superseded" in page
    assert f'href="/verify/{new.display_code}/"' in page
    new_page = client.get(f"/verify/{new.display_code}/").content.decode()
    assert "Amira O. Okafor" in new_page and "status-valid" in new_page


def test_unknown_and_mistyped_codes_are_told_apart(client, certificate):
    unknown = client.get(f"/verify/{_unknown_code()}/")
    assert unknown.status_code == 404
    assert b"No certificate has this code" in unknown.content
    mistyped = client.get(f"/verify/{_mistyped(certificate.code)}/")
    assert mistyped.status_code == 400
    assert b"typing mistake" in mistyped.content
    assert mistyped["X-Robots-Tag"] == "noindex, nofollow"


def test_every_verification_is_counted(client, certificate, make_course, make_user, complete):
    other = complete(user=make_user(), course=make_course())
    for _ in range(3):
        client.get(f"/verify/{certificate.display_code}/")
    client.get(f"/api/v1/certificates/{certificate.display_code}")
    client.get(f"/api/v1/certificates/{other.display_code}")
    client.get(f"/api/v1/certificates/{_mistyped(certificate.code)}")  # not a verification
    assert counting.pending_counts() == {certificate.pk: 4, other.pk: 1}
    assert counting.flush_verification_counts() == 2
    assert counting.pending_counts() == {}
    certificate.refresh_from_db()
    other.refresh_from_db()
    assert (certificate.verification_count, other.verification_count) == (4, 1)
    client.get(f"/verify/{certificate.display_code}/")
    counting.flush_verification_counts()
    certificate.refresh_from_db()
    assert certificate.verification_count == 5


def test_verifications_are_tallied_per_course_and_month_without_who(
    client, certificate, make_course, make_user, complete, time_machine
):
    from learnward.certificates.models import VerificationTally

    time_machine.move_to("2026-03-31 12:00Z")
    other = complete(user=make_user(), course=make_course())
    client.get(f"/verify/{certificate.display_code}/")
    client.get(f"/api/v1/certificates/{certificate.display_code}")
    client.get(f"/verify/{other.display_code}/")
    counting.flush_verification_counts()
    time_machine.move_to("2026-04-01 12:00Z")
    client.get(f"/verify/{certificate.display_code}/")
    counting.flush_verification_counts()
    client.get(f"/verify/{certificate.display_code}/")
    counting.flush_verification_counts()  # adds to April's row, no second row
    rows = {
        (t.course_id, t.month.isoformat()): t.count
        for t in VerificationTally.objects.filter(
            course_id__in=[certificate.course_id, other.course_id]
        )
    }
    assert rows == {
        (certificate.course_id, "2026-03-01"): 2,
        (other.course_id, "2026-03-01"): 1,
        (certificate.course_id, "2026-04-01"): 2,
    }
    assert [f.name for f in VerificationTally._meta.get_fields()] == [
        "id",
        "course",
        "month",
        "count",
    ]  # nothing about the certificate, its holder or the verifier


def test_counts_are_written_once_a_second_by_the_request_that_notices(client, certificate):
    counting._last_flush = time.monotonic()
    client.get(f"/verify/{certificate.display_code}/")
    certificate.refresh_from_db()
    assert certificate.verification_count == 0  # still buffered
    counting._last_flush = time.monotonic() - counting.FLUSH_SECONDS
    client.get(f"/verify/{certificate.display_code}/")
    certificate.refresh_from_db()
    assert certificate.verification_count == 2
    assert counting.pending_counts() == {}


def test_rate_limit_returns_429_with_retry_after(client, certificate, settings):
    settings.VERIFY_RATE_LIMIT = "3/minute"
    url = f"/verify/{certificate.display_code}/"
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, 15, tzinfo=LONDON), tick=False):
        assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
        limited = client.get(url)
        assert limited.status_code == 429
        assert limited["Retry-After"] == "45"
        assert b"Too many checks" in limited.content
        api = client.get(f"/api/v1/certificates/{certificate.display_code}")
        assert api.status_code == 429 and api["Retry-After"] == "45"
        # Another address has its own allowance.
        assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200
    assert counting.pending_counts() == {certificate.pk: 4}  # refused requests are not counted
    with time_machine.travel(datetime(2026, 3, 2, 10, 1, 1, tzinfo=LONDON), tick=False):
        assert client.get(url).status_code == 200


def test_the_limiter_does_not_store_the_address(client, certificate):
    client.get(f"/verify/{certificate.display_code}/", REMOTE_ADDR="198.51.100.23")
    keys = list(cache._cache.keys())
    assert keys and not any("198.51.100.23" in key for key in keys)


def test_a_second_tally_row_for_a_month_is_summed_never_added_to(certificate, time_machine):
    """Two rows for one course and month (two first flushes at once, or the rows of deleted
    courses, all turned NULL) must not each receive later counts."""
    from learnward.certificates.models import VerificationTally

    time_machine.move_to("2026-05-10 12:00Z")
    may = date(2026, 5, 1)
    for course_id, count in ((certificate.course_id, 3), (certificate.course_id, 4)):
        VerificationTally.objects.create(course_id=course_id, month=may, count=count)
    for count in (1, 2):
        VerificationTally.objects.create(course=None, month=may, count=count)
    counting.count_verification(certificate.pk, certificate.course_id)
    counting.count_verification(certificate.pk, 987654)  # a course deleted since
    counting.flush_verification_counts()
    counting.count_verification(certificate.pk, certificate.course_id)
    counting.count_verification(certificate.pk, 987654)
    counting.flush_verification_counts()

    def total(course_id):
        rows = VerificationTally.objects.filter(course_id=course_id, month=may)
        return sum(rows.values_list("count", flat=True)), rows.count()

    assert total(certificate.course_id) == (3 + 4 + 2, 2)
    assert total(None) == (1 + 2 + 2, 2)  # no third row either


def test_a_revocation_shows_on_the_very_next_request_to_the_page_and_the_api(
    client, certificate, make_user
):
    """Nothing about a certificate's status is kept between requests (issue #15: fast public
    pages): a verifier who checked a moment ago sees the revocation on the next check."""
    page_url = f"/verify/{certificate.display_code}/"
    api_url = f"/api/v1/certificates/{certificate.display_code}"
    for _ in range(2):  # warm whatever a process might keep
        assert "status-valid" in client.get(page_url).content.decode()
        assert client.get(api_url).json()["status"] == "valid"
    certificate_revoke(certificate=certificate, reason="Issued in error", actor=make_user())
    page = client.get(page_url)
    assert "status-revoked" in page.content.decode() and "status-valid" not in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    api = client.get(api_url)
    assert api.json()["status"] == "revoked"
    assert api["Cache-Control"] == "no-store"
