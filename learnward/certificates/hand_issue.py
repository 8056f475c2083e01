"""Certificates issued by hand for learning assessed outside the platform: reading a CSV of
``name, email, course, award date`` and checking every row before anything is issued (reads
only; the writes are :func:`.services.certificate_issue_by_hand` and
:func:`.services.certificates_issue_by_hand_from_csv`).

A row is issued only when the whole file is clean: an unknown learner, an unknown course, a bad
date or a row listed twice makes the preview list the row with what to fix, and nothing is
issued until a corrected file is uploaded. An unknown email is a bad row, never a new account:
accounts are made by the learner (or an organisation's invitation), so that a typo in a
spreadsheet cannot create one.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from learnward.core.csvupload import read_rows
from learnward.core.text import csv_safe

COLUMNS = ("name", "email", "course", "awarded_on")
ALIASES = {"awarded_on": ("award date", "awarded", "date", "awarded on")}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
SESSION_PREFIX = "certificates:hand_issue:"
PERMISSION = "certificates.issue_by_hand"
REASON_MAX = 500


def parse_upload(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The CSV's rows; raises ``core.csvupload.CsvRefused`` with what to fix."""
    return read_rows(
        data,
        columns=COLUMNS,
        required=("email", "course", "awarded_on"),
        aliases=ALIASES,
        noun=gettext("certificate"),
        nouns=gettext("certificates"),
    )


def parse_award_date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


@dataclass
class RowCheck:
    """One CSV row and what issuing would do with it (``problem`` empty: it will be issued)."""

    line: int
    name: str
    email: str
    course_text: str
    date_text: str
    user: Any = None
    course: Any = None
    awarded_on: date | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def holder_name(self) -> str:
        return self.user.display_name if self.user is not None else ""

    @property
    def name_differs(self) -> bool:
        return bool(
            self.user is not None
            and self.name
            and " ".join(self.name.split()).casefold() != self.holder_name.casefold()
        )


def _find_courses(texts: set[str]) -> dict[str, list]:
    """Courses by lower-cased slug or title (one text may match several titles)."""
    from django.db.models import Q

    from learnward.catalog.models import Course

    lowered = {t.casefold() for t in texts if t}
    found: dict[str, list] = {}
    if not lowered:
        return found
    query = Q()
    for text in lowered:
        query |= Q(slug__iexact=text) | Q(title__iexact=text)
    for course in Course.objects.filter(query):
        if course.slug.casefold() in lowered:
            found.setdefault(course.slug.casefold(), []).insert(0, course)
        title = course.title.casefold()
        if title in lowered and title != course.slug.casefold():
            found.setdefault(title, []).append(course)
    return found


def check_rows(rows: list[tuple[int, dict[str, str]]], *, today: date) -> list[RowCheck]:
    """What issuing each row would do, in file order. Queries: one for the accounts, one for the
    courses, one for certificates already issued on those dates."""
    from learnward.accounts.models import User

    from .models import Certificate

    checks = [
        RowCheck(
            line=line,
            name=row.get("name", ""),
            email=row.get("email", "").strip().lower(),
            course_text=row.get("course", ""),
            date_text=row.get("awarded_on", ""),
        )
        for line, row in rows
    ]
    emails = {c.email for c in checks if c.email}
    users = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
    courses = _find_courses({c.course_text for c in checks})
    seen: dict[tuple[int, int], int] = {}
    for check in checks:
        problems = []
        try:
            validate_email(check.email)
        except ValidationError:
            problems.append(
                _("Enter the learner's email address.")
                if not check.email
                else _("Not an email address.")
            )
        else:
            user = users.get(check.email)
            if user is None:
                problems.append(
                    _(
                        "No learner has an account with this email address: ask them to sign "
                        "up, or correct the address."
                    )
                )
            elif not user.is_active:
                problems.append(_("This learner's account is closed."))
            else:
                check.user = user
        matches = courses.get(check.course_text.casefold(), []) if check.course_text else []
        if not check.course_text:
            problems.append(_("Enter the course's slug or title."))
        elif not matches:
            problems.append(_("No course has this slug or title."))
        elif len(matches) > 1 and matches[0].slug.casefold() != check.course_text.casefold():
            problems.append(_("Several courses have this title: use the course's slug instead."))
        else:
            check.course = matches[0]
        awarded_on = parse_award_date(check.date_text) if check.date_text else None
        if not check.date_text:
            problems.append(_("Enter the award date."))
        elif awarded_on is None:
            problems.append(_("Write the award date as YYYY-MM-DD, for example 2026-03-14."))
        elif awarded_on > today:
            problems.append(_("The award date is in the future."))
        else:
            check.awarded_on = awarded_on
        if check.user is not None and check.course is not None:
            key = (check.user.pk, check.course.pk)
            if key in seen:
                problems.append(
                    _("Listed twice: line %(line)s has the same learner and course.")
                    % {"line": seen[key]}
                )
            else:
                seen[key] = check.line
        check.problem = " ".join(problems)
    # A certificate already issued for the same learner, course and date: the file was uploaded
    # before (one query for the whole file).
    ready = [c for c in checks if c.ok]
    if ready:
        issued = set(
            Certificate.objects.filter(
                user__in={c.user.pk for c in ready},
                course__in={c.course.pk for c in ready},
                awarded_on__in={c.awarded_on for c in ready},
                revoked_on__isnull=True,
            ).values_list("user_id", "course_id", "awarded_on")
        )
        for check in ready:
            if (check.user.pk, check.course.pk, check.awarded_on) in issued:
                check.problem = _(
                    "This learner already has a certificate for this course awarded on this date."
                )
    return checks


def outcomes_csv(checks: list[RowCheck]) -> str:
    """The preview as CSV, every cell made safe for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["line", "name", "email", "course", "award date", "outcome"])
    for check in checks:
        writer.writerow(
            [
                check.line,
                csv_safe(check.name),
                csv_safe(check.email),
                csv_safe(check.course_text),
                csv_safe(check.date_text),
                csv_safe(check.problem or _("Will be issued")),
            ]
        )
    return out.getvalue()
