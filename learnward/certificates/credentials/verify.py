"""Checking a credential this site issued: proof, revocation status and dates.

Used by ``learnward verify_credential``. The status is read from the same signed
BitstringStatusListCredential the site publishes (its proof is checked too), not from a shortcut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum

from django.utils import timezone
from django.utils.translation import gettext as _

from . import dataintegrity
from .keys import resolve_local_key
from .statuslist import (
    STATUS_PURPOSE,
    bit_is_set,
    list_exists,
    list_url,
    status_list_credential,
)


class Verdict(IntEnum):
    """Also the exit code of ``learnward verify_credential``."""

    VALID = 0
    INVALID = 1  # the proof fails (altered, or not signed by this site's key) or not a credential
    UNREADABLE = 2  # the file cannot be read as JSON
    REVOKED = 3
    NOT_CURRENT = 4  # expired, or not valid yet


@dataclass
class Report:
    verdict: Verdict = Verdict.VALID
    lines: list[tuple[str, str]] = field(default_factory=list)

    def add(self, label: str, text: str) -> None:
        self.lines.append((label, text))

    def worsen(self, verdict: Verdict) -> None:
        order = [Verdict.VALID, Verdict.NOT_CURRENT, Verdict.REVOKED, Verdict.INVALID]
        if order.index(verdict) > order.index(self.verdict):
            self.verdict = verdict


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _list_number(url: object) -> int | None:
    if not isinstance(url, str):
        return None
    prefix = list_url(1)[: -len("1")]
    match = re.fullmatch(re.escape(prefix) + r"([1-9][0-9]{0,8})", url)
    return int(match.group(1)) if match else None


def _check_status(credential: dict, report: Report) -> None:
    entries = credential.get("credentialStatus")
    if entries is None:
        report.add(_("Status"), _("no revocation status in the credential"))
        return
    for entry in entries if isinstance(entries, list) else [entries]:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            report.add(_("Status"), _("unsupported status entry; not checked"))
            report.worsen(Verdict.INVALID)
            continue
        if entry.get("statusPurpose") != STATUS_PURPOSE:
            report.add(
                _("Status"),
                _("status purpose %(purpose)r not checked")
                % {"purpose": entry.get("statusPurpose")},
            )
            continue
        number = _list_number(entry.get("statusListCredential"))
        try:
            index = int(entry.get("statusListIndex"))
        except (TypeError, ValueError):
            index = -1
        if number is None or index < 0 or not list_exists(number):
            report.add(_("Status"), _("the status list is not one this site publishes"))
            report.worsen(Verdict.INVALID)
            continue
        status_list = status_list_credential(number)
        dataintegrity.verify_proof(status_list, resolve_key=resolve_local_key)
        try:
            revoked = bit_is_set(status_list["credentialSubject"]["encodedList"], index)
        except ValueError as exc:
            report.add(_("Status"), _("status entry cannot be read: %(error)s") % {"error": exc})
            report.worsen(Verdict.INVALID)
            continue
        if revoked:
            report.add(
                _("Status"),
                _("REVOKED (status list %(number)s, entry %(index)s)")
                % {"number": number, "index": index},
            )
            report.worsen(Verdict.REVOKED)
        else:
            report.add(
                _("Status"),
                _("not revoked (status list %(number)s, entry %(index)s)")
                % {"number": number, "index": index},
            )


def _check_dates(credential: dict, report: Report, now: datetime) -> None:
    valid_from = _parse_time(credential.get("validFrom"))
    until_text = credential.get("validUntil")
    valid_until = _parse_time(until_text)
    if valid_from is None or (until_text is not None and valid_until is None):
        report.add(
            _("Dates"), _("validFrom or validUntil is missing or not a date-time with a zone")
        )
        report.worsen(Verdict.INVALID)
        return
    if until_text:
        span = _("valid from %(start)s until %(end)s") % {
            "start": credential["validFrom"],
            "end": until_text,
        }
    else:
        span = _("valid from %(start)s, no expiry") % {"start": credential["validFrom"]}
    if now < valid_from:
        report.add(_("Dates"), _("NOT YET VALID: %(span)s") % {"span": span})
        report.worsen(Verdict.NOT_CURRENT)
    elif valid_until is not None and now >= valid_until:
        report.add(_("Dates"), _("EXPIRED: %(span)s") % {"span": span})
        report.worsen(Verdict.NOT_CURRENT)
    else:
        report.add(_("Dates"), _("current: %(span)s") % {"span": span})


def verify_credential(credential: object, *, now: datetime | None = None) -> Report:
    report = Report()
    now = now or timezone.now()
    if not isinstance(credential, dict) or "VerifiableCredential" not in (
        credential.get("type") or []
    ):
        report.add(_("Credential"), _("not a Verifiable Credential"))
        report.worsen(Verdict.INVALID)
        return report
    try:
        proof = dataintegrity.verify_proof(credential, resolve_key=resolve_local_key)
    except dataintegrity.ProofError as exc:
        report.add(_("Proof"), _("FAILED: %(error)s") % {"error": exc})
        report.worsen(Verdict.INVALID)
        return report
    report.add(
        _("Proof"),
        _("ok, %(suite)s signed by %(method)s")
        % {"suite": dataintegrity.CRYPTOSUITE, "method": proof.verification_method},
    )
    _check_status(credential, report)
    _check_dates(credential, report, now)
    return report
