"""Reading a teacher's CSV of marks (``learner`` (the learner number the sitting's page and marks
sheet show) or ``email``, ``marks``, optional ``name`` and ``note``) and
checking every row before anything is stored (reads only; the write is
:func:`.services.exam_results_enter_from_csv`).

The same bad-row rules as any CSV here: every bad row is listed with what to fix (an unknown
learner, marks outside the exam's range, a row listed twice), and nothing is imported until a
corrected file comes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext as _

from learnward.core.csvupload import read_rows
from learnward.core.text import csv_safe

from . import selectors
from .models import ExamSitting

COLUMNS = ("learner", "email", "marks", "name", "note")
ALIASES = {"marks": ("mark", "points", "score"), "learner": ("learner number", "learner no")}
SESSION_PREFIX = "exams:marks:"


def parse_upload(data: bytes) -> list[tuple[int, dict[str, str]]]:
    return read_rows(
        data,
        columns=COLUMNS,
        required=("marks",),
        aliases=ALIASES,
        noun=gettext("learner"),
        nouns=gettext("learners"),
    )


@dataclass
class RowCheck:
    line: int
    learner: str
    email: str
    name: str
    marks_text: str
    note: str
    user: Any = None
    marks: Decimal | None = None
    passed: bool | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def check_rows(rows: list[tuple[int, dict[str, str]]], *, sitting: ExamSitting) -> list[RowCheck]:
    """What importing each row would do, in file order."""
    from .services import NOTE_MAX, ExamError, parse_marks

    people = selectors.sitting_candidates(sitting=sitting)
    by_email = {u.email.lower(): u for u in people}
    by_number = {str(u.pk): u for u in people}
    seen: dict[int, int] = {}
    checks = []
    for line, row in rows:
        check = RowCheck(
            line=line,
            learner=row.get("learner", "").strip(),
            email=row.get("email", "").strip().lower(),
            name=row.get("name", ""),
            marks_text=row.get("marks", ""),
            note=" ".join(row.get("note", "").split()),
        )
        problems = []
        user = by_number.get(check.learner) if check.learner else by_email.get(check.email)
        if check.learner and check.email and user is not None and user.email.lower() != check.email:
            user = None
        if not check.learner and not check.email:
            problems.append(_("Enter the learner number or email address."))
        elif user is None:
            problems.append(_("Unknown learner: nobody on this course has this number or email."))
        elif user.pk in seen:
            problems.append(
                _("Listed twice: line %(line)s has the same learner.") % {"line": seen[user.pk]}
            )
        else:
            seen[user.pk] = line
            check.user = user
        try:
            check.marks = parse_marks(check.marks_text, sitting=sitting)
            check.passed = check.marks >= sitting.pass_marks
        except ExamError as exc:
            problems.append(exc.message)
        if len(check.note) > NOTE_MAX:
            problems.append(_("Keep the note to %(max)s characters or fewer.") % {"max": NOTE_MAX})
        check.problem = " ".join(problems)
        checks.append(check)
    return checks


def outcomes_csv(checks: list[RowCheck]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["line", "learner", "email", "name", "marks", "note", "outcome"])
    for check in checks:
        writer.writerow(
            [
                check.line,
                csv_safe(check.learner),
                csv_safe(check.email),
                csv_safe(check.name),
                csv_safe(check.marks_text),
                csv_safe(check.note),
                csv_safe(check.problem or ("Pass" if check.passed else "Fail")),
            ]
        )
    return out.getvalue()


def marks_sheet(*, sitting: ExamSitting, results: dict) -> str:
    """A CSV to fill in: each learner's number and name, and the marks entered so far."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["learner", "name", "marks", "note"])
    for user in selectors.sitting_candidates(sitting=sitting):
        result = results.get(user.pk)
        marks = "" if result is None or result.marks is None else f"{result.marks.normalize():f}"
        writer.writerow(
            [user.pk, csv_safe(user.display_name), marks, csv_safe(result.note if result else "")]
        )
    return out.getvalue()
