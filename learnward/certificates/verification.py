"""Public verification by code: what a verifier may see, and the count of verifications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.db import connection
from django.utils.translation import gettext_lazy as _

from .codes import CodeProblem, parse_code
from .counting import count_verification
from .models import Certificate


class Outcome(StrEnum):
    FOUND = "found"
    UNKNOWN = "unknown"  # well-formed and the check character matches, but no such certificate
    CHECK_FAILED = "check_failed"  # the check character shows a typing mistake
    MALFORMED = "malformed"  # not a code at all


MESSAGES = {
    Outcome.UNKNOWN: _("No certificate has this code. Check that you copied it exactly."),
    Outcome.CHECK_FAILED: _(
        "This code has a typing mistake: its last character does not match the others. "
        "Check each character against the certificate and try again."
    ),
    Outcome.MALFORMED: _(
        "This is not a certificate code. A code has 13 letters and digits, like 7KQ4-M2XD-9TRB-F."
    ),
}


@dataclass(frozen=True)
class Verification:
    outcome: Outcome
    certificate: Certificate | None = None

    @property
    def message(self) -> str:
        """In the active language (the page's, or the API request's Accept-Language)."""
        return str(MESSAGES.get(self.outcome, ""))


def _date(value: object) -> date | None:
    # SQLite may hand back ISO strings from a raw cursor; PostgreSQL hands back dates.
    return date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[return-value]


# One query: the certificate, its replacement (r), what it renews (o) and what renewed it (n);
# each join is on a primary key or a unique column.
_FETCH = (
    "SELECT c.id, c.code, c.holder_name, c.course_title, c.cpd_hours, c.awarded_on, "
    "c.expires_on, c.revoked_on, c.revocation_reason, c.replaced_by_id, r.code, c.course_id, "
    "c.renews_id, o.code, n.id, n.code, c.assessed_elsewhere, c.layout, c.awarding_body, "
    "c.accreditation_number, c.status_list "
    "FROM {table} c LEFT JOIN {table} r ON r.id = c.replaced_by_id "
    "LEFT JOIN {table} o ON o.id = c.renews_id "
    "LEFT JOIN {table} n ON n.renews_id = c.id "
    "WHERE c.code = %s"
)


def renewal_of(certificate: Certificate) -> Certificate | None:
    """The certificate that renewed ``certificate``, or None (no query after a verification)."""
    try:
        return certificate.renewed_by
    except Certificate.DoesNotExist:
        return None


def _from_row(row: tuple) -> Certificate:
    """A Certificate holding only what a verifier sees (and the codes of the certificates it
    links to: its replacement, the one it renews, the one that renewed it)."""
    certificate = Certificate(
        id=row[0],
        code=row[1],
        holder_name=row[2],
        course_title=row[3],
        cpd_hours=row[4] if isinstance(row[4], Decimal) else Decimal(str(row[4])),
        awarded_on=_date(row[5]),
        expires_on=_date(row[6]),
        revoked_on=_date(row[7]),
        revocation_reason=row[8],
        replaced_by_id=row[9],
        assessed_elsewhere=bool(row[16]),
        layout=row[17],
        awarding_body=row[18],
        accreditation_number=row[19],
        status_list=row[20],
    )
    replacement = Certificate(id=row[9], code=row[10]) if row[9] is not None else None
    Certificate.replaced_by.field.set_cached_value(certificate, replacement)
    certificate.renews_id = row[12]
    renewed = Certificate(id=row[12], code=row[13]) if row[12] is not None else None
    Certificate.renews.field.set_cached_value(certificate, renewed)
    renewal = Certificate(id=row[14], code=row[15], renews_id=row[0]) if row[14] else None
    Certificate.renewed_by.related.set_cached_value(certificate, renewal)
    return certificate


def certificate_verify(*, code: str) -> Verification:
    """Look a code up for a verifier and count the verification: one query on the code's index.

    The count is buffered per process (see counting.py); who verified is never stored.
    """
    parsed = parse_code(code)
    if parsed.problem == CodeProblem.MALFORMED:
        return Verification(Outcome.MALFORMED)
    if parsed.problem == CodeProblem.CHECK_FAILED:
        return Verification(Outcome.CHECK_FAILED)
    sql = _FETCH.format(table=connection.ops.quote_name(Certificate._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, [parsed.canonical])
        row = cursor.fetchone()
    if row is None:
        return Verification(Outcome.UNKNOWN)
    certificate = _from_row(row)
    count_verification(certificate.pk, row[11])
    return Verification(Outcome.FOUND, certificate)


def public_record(certificate: Certificate) -> dict:
    """What the API shows a verifier: the snapshot, the status now, and the certificates it is
    linked to by renewal (their codes and verification pages); nothing else."""
    record = {
        "code": certificate.display_code,
        "status": certificate.status.value,
        "holder_name": certificate.holder_name,
        "course_title": certificate.course_title,
        "cpd_hours": float(certificate.cpd_hours),
        "awarded_on": certificate.awarded_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat() if certificate.expires_on else None,
    }
    if certificate.assessed_elsewhere:
        # Issued by hand: the learning was assessed outside the platform (a classroom, a
        # practical exam), not through the platform's own course and assessment.
        record["assessed_elsewhere"] = True
    if certificate.revoked_on is not None:
        record["revoked_on"] = certificate.revoked_on.isoformat()
        record["revocation_reason"] = certificate.revocation_reason
    if certificate.renews_id is not None:
        record["renews"] = _link(certificate.renews)
    renewal = renewal_of(certificate)
    if renewal is not None:
        record["renewed_by"] = _link(renewal)
    return record


def _link(certificate: Certificate) -> dict:
    from .pdf import verification_url

    return {"code": certificate.display_code, "url": verification_url(certificate)}
