"""Minimisation before anything leaves the platform.

What is minimised is the learner's own text (their question): the system prompt and the course
content sent with it are the platform's words and are sent unchanged (``services._call_provider``).

Two passes over the learner's text:

1. the learner's own declared identifying data: every field, on every row the registry says is
   about this learner, whose taxonomy category is marked ``identifying`` (name, email, date of
   birth, guardian's email, postcode...). The registry is read afresh, so a field another app
   declares tomorrow is covered without a change here;
2. common identifier patterns, whoever they belong to: email addresses, phone numbers (UK formats
   and international "+" numbers), UK postcodes, National Insurance numbers, and card numbers that
   pass the Luhn check.

Each match becomes a placeholder such as ``[NAME]`` or ``[EMAIL]``.

Matching is case-insensitive and by whole words only, with Unicode word boundaries (a letter with
an accent, "á", is a letter, so "Ann" does not match inside "Annábel"); text and values are first
normalised to NFC, so an accent typed as a combining mark matches the same name. A name is matched
as a whole, and each of its parts on its own only when the part has at least ``MIN_NAME_PART`` (3)
letters: "Learner Two" is redacted as "Learner Two", "Learner" and "Two", while the "Al" of
"Al Li" is not matched on its own (nor would it be inside "also": whole words only).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from learnward.privacy.registry import personal_declarations
from learnward.privacy.registry.taxonomy import CATEGORIES

PLACEHOLDERS = {
    "user.name": "[NAME]",
    "user.contact.email": "[EMAIL]",
    "user.guardian.contact": "[EMAIL]",
    "user.contact.phone_number": "[PHONE]",
    "user.contact.address.postal_code": "[POSTCODE]",
    "user.contact.address": "[ADDRESS]",
    "user.demographic.date_of_birth": "[DATE OF BIRTH]",
}
DEFAULT_PLACEHOLDER = "[PERSONAL DETAIL]"
# Name parts with fewer letters than this are not replaced on their own ("Al", "Jo" match too
# much text); the whole name always is.
MIN_NAME_PART = 3

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# 13-19 digits, optionally grouped by spaces or hyphens; kept only if the Luhn check passes.
CARD_RE = re.compile(r"(?<![\d+])\d(?:[ -]?\d){12,18}(?!\d)")
# National Insurance number: two letters, six digits (often grouped in pairs), suffix A-D. Any two
# prefix letters are matched, even ones HMRC never issues (QQ is its own example): people type
# examples and mistakes too, and a false alarm costs less than a leak.
NINO_RE = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)
# UK postcode (outward code, optional space, inward code whose letters exclude C I K M O V).
POSTCODE_RE = re.compile(
    r"\b(?:GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
# International numbers start with "+" (or 00) and a country code; UK national numbers with 0.
# Candidates are checked for their digit count in _phone.
PHONE_RE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\d[\d\s().-]{6,18}\d|\(?0\d[\d\s().-]{7,14}\d)(?![\w])"
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


@dataclass
class Redacted:
    text: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _date_variants(value: dt.date) -> list[str]:
    day, month, year = value.day, value.month, value.year
    month_name = value.strftime("%B")
    month_abbr = value.strftime("%b")
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    variants = {
        value.isoformat(),
        f"{year}/{month:02d}/{day:02d}",
    }
    for d in {str(day), f"{day:02d}"}:
        for m in {str(month), f"{month:02d}"}:
            for sep in "/-.":
                variants.add(f"{d}{sep}{m}{sep}{year}")
                variants.add(f"{d}{sep}{m}{sep}{year % 100:02d}")
        for name in (month_name, month_abbr):
            variants.add(f"{d} {name} {year}")
            variants.add(f"{d}{suffix} {name} {year}")
            variants.add(f"{d} {name}")
            variants.add(f"{d}{suffix} {name}")
            variants.add(f"{d}{suffix} of {name} {year}")
            variants.add(f"{d}{suffix} of {name}")
            variants.add(f"{name} {d}, {year}")
            variants.add(f"{name} {d}{suffix}, {year}")
            variants.add(f"{name} {d} {year}")
    return sorted(variants, key=len, reverse=True)


def _values_for(category: str, value: object) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _date_variants(value)
    text = _nfc(str(value)).strip()
    if not text:
        return []
    values = [text]
    if category == "user.name":
        values += [
            part for part in re.split(r"[\s,]+|-(?=\w)", text) if _letters(part) >= MIN_NAME_PART
        ]
    return values


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _letters(text: str) -> int:
    return sum(char.isalpha() for char in text)


def identifying_values(user) -> list[tuple[str, str]]:
    """(value, placeholder) for every identifying field the registry holds about ``user``.

    Longest first, so "Jane Smith" is replaced before "Jane".
    """
    if user is None or user.pk is None:
        return []
    found: dict[str, str] = {}
    for declaration in personal_declarations():
        if declaration.subject is None:
            continue
        identifying = [
            name for name, cat in declaration.personal_fields.items() if CATEGORIES[cat].identifying
        ]
        if not identifying:
            continue
        lookup = declaration.subject or "pk"
        rows = declaration.model._default_manager.filter(**{lookup: user.pk}).values_list(
            *identifying
        )
        for row in rows:
            for name, value in zip(identifying, row, strict=True):
                category = declaration.fields[name]
                placeholder = PLACEHOLDERS.get(category, DEFAULT_PLACEHOLDER)
                for variant in _values_for(category, value):
                    found.setdefault(variant, placeholder)
    return sorted(found.items(), key=lambda item: len(item[0]), reverse=True)


def _replace_values(text: str, values: Iterable[tuple[str, str]], counts: dict[str, int]) -> str:
    for value, placeholder in values:
        # Word boundaries where the value starts or ends with a word character, so "Ann" does not
        # eat "Announcement"; case-insensitive, since people do not type their name consistently.
        start = r"(?<!\w)" if value[:1].isalnum() else ""
        end = r"(?!\w)" if value[-1:].isalnum() else ""
        pattern = re.compile(start + re.escape(value) + end, re.IGNORECASE)
        text, n = pattern.subn(placeholder, text)
        if n:
            counts[placeholder] = counts.get(placeholder, 0) + n
    return text


def _card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[CARD NUMBER]" if luhn_valid(digits) else match.group(0)


def _phone(match: re.Match) -> str:
    candidate = match.group(0)
    digits = re.sub(r"\D", "", candidate)
    international = candidate.startswith(("+", "00"))
    if international and 8 <= len(digits) <= 17:
        return "[PHONE]"
    if not international and len(digits) in (10, 11):
        return "[PHONE]"
    return candidate


def redact_patterns(text: str, counts: dict[str, int] | None = None) -> str:
    counts = counts if counts is not None else {}
    for placeholder, pattern, replace in (
        ("[EMAIL]", EMAIL_RE, "[EMAIL]"),
        ("[CARD NUMBER]", CARD_RE, _card),
        ("[NI NUMBER]", NINO_RE, "[NI NUMBER]"),
        ("[POSTCODE]", POSTCODE_RE, "[POSTCODE]"),
        ("[PHONE]", PHONE_RE, _phone),
    ):
        before = text.count(placeholder)
        text = pattern.sub(replace, text)
        added = text.count(placeholder) - before
        if added:
            counts[placeholder] = counts.get(placeholder, 0) + added
    return text


def redact(text: str, *, user=None) -> Redacted:
    """Minimise ``text``, which the learner ``user`` typed, before it leaves: ``user``'s declared
    identifying data, then patterns. Not for the platform's own text (prompts, course content)."""
    counts: dict[str, int] = {}
    text = _replace_values(_nfc(text), identifying_values(user), counts)
    text = redact_patterns(text, counts)
    return Redacted(text=text, counts=counts)
