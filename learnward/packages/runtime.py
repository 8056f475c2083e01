"""What a SCORM commit means: reading scorm-again's CMI object into an attempt's fields, and the
saved data a resumed attempt starts from (scorm-again's ``loadFromJSON``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

# SCORM 1.2 lesson_status -> (completion, success)
_SCORM12_STATUS = {
    "passed": ("completed", "passed"),
    "completed": ("completed", "unknown"),
    "failed": ("completed", "failed"),
    "incomplete": ("incomplete", "unknown"),
    "browsed": ("incomplete", "unknown"),
    "not attempted": ("not attempted", "unknown"),
}


def _dig(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _str(value: Any, limit: int) -> str:
    return str(value)[:limit] if isinstance(value, str | int | float) else ""


def _decimal(value: Any, *, low=Decimal("-99999999"), high=Decimal("99999999")) -> Decimal | None:
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite() or not low <= number <= high:
        return None
    return number.quantize(Decimal("0.0001"))


def read_commit(*, standard: str, cmi: dict) -> dict[str, Any]:
    """The attempt's fields from a commit's ``cmi`` object (scorm-again's JSON format)."""
    if standard == "scorm12":
        status = _str(_dig(cmi, "core", "lesson_status"), 20)
        completion, success = _SCORM12_STATUS.get(status, ("", ""))
        score = _dig(cmi, "core", "score") or {}
        return {
            "location": _str(_dig(cmi, "core", "lesson_location"), 1000),
            "suspend_data": _str(cmi.get("suspend_data"), 64000),
            "completion_status": completion,
            "success_status": success,
            "score_raw": _decimal(_dig(score, "raw")),
            "score_min": _decimal(_dig(score, "min")),
            "score_max": _decimal(_dig(score, "max")),
            "score_scaled": None,
            "total_time": _str(_dig(cmi, "core", "total_time"), 40),
        }
    score = cmi.get("score") or {}
    return {
        "location": _str(cmi.get("location"), 1000),
        "suspend_data": _str(cmi.get("suspend_data"), 64000),
        "completion_status": _str(cmi.get("completion_status"), 20),
        "success_status": _str(cmi.get("success_status"), 20),
        "score_raw": _decimal(_dig(score, "raw")),
        "score_min": _decimal(_dig(score, "min")),
        "score_max": _decimal(_dig(score, "max")),
        "score_scaled": _decimal(_dig(score, "scaled"), low=Decimal(-1), high=Decimal(1)),
        "total_time": _str(cmi.get("total_time"), 40),
    }


def _number(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def saved_cmi(*, attempt, learner_id: str) -> dict[str, Any]:
    """What scorm-again loads before the SCO initialises: the attempt's saved data."""
    resuming = bool(attempt.suspend_data or attempt.location)
    if attempt.package.standard == "scorm12":
        status = {
            ("completed", "passed"): "passed",
            ("completed", "failed"): "failed",
            ("completed", "unknown"): "completed",
            ("incomplete", "unknown"): "incomplete",
        }.get((attempt.completion_status, attempt.success_status), "not attempted")
        if resuming and status == "not attempted":
            status = "incomplete"  # it was attempted: it has data to resume from
        core: dict[str, Any] = {
            "student_id": learner_id,
            "student_name": "",
            "lesson_location": attempt.location,
            "lesson_status": status,
            "entry": "resume" if resuming else "ab-initio",
            "score": {
                "raw": _number(attempt.score_raw),
                "min": _number(attempt.score_min),
                "max": _number(attempt.score_max),
            },
        }
        if attempt.total_time:
            core["total_time"] = attempt.total_time
        return {"core": core, "suspend_data": attempt.suspend_data}
    data: dict[str, Any] = {
        "learner_id": learner_id,
        "learner_name": "",
        "location": attempt.location,
        "suspend_data": attempt.suspend_data,
        "completion_status": attempt.completion_status or "unknown",
        "success_status": attempt.success_status or "unknown",
        "entry": "resume" if resuming else "ab-initio",
        "score": {
            key: _number(getattr(attempt, f"score_{key}"))
            for key in ("raw", "min", "max", "scaled")
            if getattr(attempt, f"score_{key}") is not None
        },
    }
    if attempt.total_time:
        data["total_time"] = attempt.total_time
    if attempt.package.mastery_score is not None:
        data["scaled_passing_score"] = _number(attempt.package.mastery_score)
    return data
