"""People's names as typed: normalised to NFC, and refused when they hide control or format
characters.

A name is printed on certificates, shown on the public verification page and the API, and put in
emails. Control characters (bell, escape, line breaks that smuggle "Bcc:" lines into a text) and
the invisible characters that reorder or hide text (the right-to-left override U+202E turns
"Smith‮gpj.exe" into something else on screen) have no place in it. Real right-to-left scripts
(Arabic, Hebrew) need none of them: their direction comes from the letters themselves. Combining
marks (the accent of a decomposed "é", Vietnamese tone marks, Arabic vowel marks) are letters'
parts and are kept.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from .errors import ApplicationError

# Zero-width joiner and non-joiner are format characters that real names need (Persian uses the
# non-joiner inside words, Indic scripts both): allowed between two letters, nowhere else.
JOINERS = frozenset("\u200c\u200d")
# Explicit direction controls: embeddings, overrides, isolates and the marks.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
# Letters that draw nothing, used to make a name look empty or like someone else's.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")

_CONTROL_NAMES = {
    "\x00": "null",
    "\x07": "bell",
    "\x08": "backspace",
    "\t": "tab",
    "\x1b": "escape",
    "\x7f": "delete",
}
_SPACES = re.compile(r"\s+")


class NameNotAllowed(ApplicationError):
    """A name holds a character it may not; ``message`` says which kind and what to do."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def _describe(char: str) -> str:
    """'U+202E, right-to-left override': the code and, where Unicode has one, the name."""
    name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "").lower()
    code = f"U+{ord(char):04X}"
    return f"{code}, {name}" if name else code


def _is_letter_or_mark(char: str | None) -> bool:
    return char is not None and unicodedata.category(char)[0] in "LM"


def _problem(name: str, index: int) -> str | None:
    """What is wrong with ``name[index]`` in a name, as a refusal code, or None."""
    char = name[index]
    category = unicodedata.category(char)
    if char in LINE_BREAKS:
        return "line_break"
    if category == "Cc":
        return "control"
    if char in BIDI_CONTROLS:
        return "bidi"
    if char in JOINERS:
        before = name[index - 1] if index else None
        after = name[index + 1] if index + 1 < len(name) else None
        return None if _is_letter_or_mark(before) and _is_letter_or_mark(after) else "invisible"
    if category == "Cf" or char in INVISIBLE_LETTERS:
        return "invisible"
    if category in {"Co", "Cs", "Cn"}:
        return "unprintable"
    return None


def _message(code: str, char: str, subject: str) -> str:
    described = _describe(char)
    messages = {
        "line_break": _("%(subject)s must be on one line. Remove the line break."),
        "control": _(
            "%(subject)s contains a control character (%(character)s), which often comes from "
            "copying and pasting. Type the name again."
        ),
        "bidi": _(
            "%(subject)s contains a hidden character that changes the direction of the text "
            "(%(character)s). Remove it. Names in right-to-left scripts such as Arabic or Hebrew "
            "do not need it."
        ),
        "invisible": _(
            "%(subject)s contains an invisible character (%(character)s). Remove it and type "
            "only the letters of the name."
        ),
        "unprintable": _(
            "%(subject)s contains a character that cannot be printed (%(character)s). Check the "
            "name and type it again."
        ),
    }
    return messages[code] % {"subject": subject, "character": described}


def clean_person_name(value: str, *, subject: str = "") -> str:
    """``value`` in the form a name is stored in, or :class:`NameNotAllowed`.

    Normalised to NFC (a decomposed "e" + U+0301 becomes "é"); any kind of space becomes one plain
    space, and spaces at the ends go. Refused: C0 and C1 controls (line breaks, tab, bell,
    escape), the direction controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C), other
    invisible format characters (zero-width space, soft hyphen, byte-order mark, tags), invisible
    filler letters, and characters with nothing to print (private use, unassigned). An empty
    result is returned empty: whether a name is required is the caller's business.
    """
    name = unicodedata.normalize("NFC", value)
    for index, char in enumerate(name):
        code = _problem(name, index)
        if code is not None:
            raise NameNotAllowed(_message(code, char, subject or _("Your name")), code)
    return _SPACES.sub(" ", name).strip()


def scrub_person_name(value: str) -> str:
    """A name stored before these rules, made acceptable to :func:`clean_person_name`: NFC, line
    breaks and controls become spaces, the other refused characters are dropped, and spaces
    collapse. Every visible character is kept. May return an empty string."""
    name = unicodedata.normalize("NFC", value)
    kept = []
    for index, char in enumerate(name):
        code = _problem(name, index)
        if code in {"line_break", "control"}:
            kept.append(" ")
        elif code is None:
            kept.append(char)
    # Dropping a character can leave a joiner without its letters, or join two halves: again.
    name = unicodedata.normalize("NFC", "".join(kept))
    name = "".join(c for i, c in enumerate(name) if _problem(name, i) is None)
    return _SPACES.sub(" ", name).strip()


def person_name_problem(value: str) -> str | None:
    """The refusal's code (``"bidi"``, ``"control"``, …) for a stored name, or None if it is clean."""
    try:
        clean_person_name(value)
    except NameNotAllowed as exc:
        return exc.code
    return None


# Characters that make a spreadsheet read a cell as a formula (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """``value`` as CSV cell text (None is empty), with a leading apostrophe when a spreadsheet
    would run it as a formula. Only for text: a negative amount would gain an apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
