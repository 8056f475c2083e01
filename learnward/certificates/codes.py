"""Certificate codes: 60 random bits in Crockford base32, grouped, with a check character.

A code is twelve Crockford base32 characters (60 bits from :mod:`secrets`) followed by one check
character, shown in groups of four: ``7KQ4-M2XD-9TRB-F``. People read codes off paper and type them,
so parsing is forgiving: case does not matter, spaces and dashes are ignored, and the letters that
look like digits are read as those digits (``I`` and ``L`` as ``1``, ``O`` as ``0``), as Crockford's
alphabet intends.

The check character is our own documented scheme rather than Crockford's mod-37 symbol, because
Crockford's needs five extra symbols (``* ~ $ = U``) that look like punctuation on a certificate and
are awkward in a URL. Ours stays inside the 32-character alphabet: reading each character as an
element of the finite field GF(32) (polynomial x^5 + x^2 + 1), the check character is
``sum(alpha^(i+1) * c_i)`` over the twelve data characters, where ``alpha`` is the field's
generator ``x``. The weights ``alpha^1..alpha^12`` are distinct and non-zero, so the check catches
every single-character mistake and every swap of two different characters, adjacent or not. (It is
the check symbol of a one-symbol Reed-Solomon code.)
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DATA_LENGTH = 12  # 12 x 5 bits = 60 random bits
CODE_LENGTH = DATA_LENGTH + 1
RANDOM_BITS = 5 * DATA_LENGTH

_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_VALUE.update({"I": 1, "L": 1, "O": 0})
_IGNORED = str.maketrans("", "", " -\t\u00a0\u2010\u2011\u2012\u2013\u2014")

# What a person may type, as a regular expression that JSON Schema (ECMA-262) and Python read
# alike: thirteen characters of the alphabet, of either case, with I, L and O (every letter but
# U), among any of the ignored spaces and dashes. Published as the pattern of the API's ``code``
# parameter; :func:`parse_code` says MALFORMED exactly when a text does not match it.
_TYPED_IGNORED = "[-\\t \\u00a0\\u2010-\\u2014]*"
TYPED_CODE_PATTERN = f"^{_TYPED_IGNORED}(?:[0-9A-TV-Za-tv-z]{_TYPED_IGNORED}){{{CODE_LENGTH}}}$"

# GF(32) with the primitive polynomial x^5 + x^2 + 1: exp/log tables.
_EXP = [0] * 62
_LOG = [0] * 32
_x = 1
for _i in range(31):
    _EXP[_i] = _EXP[_i + 31] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x20:
        _x ^= 0b100101


def _gf_mul(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


def check_value(values: list[int]) -> int:
    """The check value of twelve data values (each 0-31)."""
    total = 0
    for i, value in enumerate(values):
        total ^= _gf_mul(_EXP[i + 1], value)  # addition in GF(2^5) is XOR
    return total


def new_code() -> str:
    """A fresh code in canonical form (13 characters, no dashes)."""
    number = secrets.randbits(RANDOM_BITS)
    values = [(number >> (5 * (DATA_LENGTH - 1 - i))) & 31 for i in range(DATA_LENGTH)]
    values.append(check_value(values))
    return "".join(ALPHABET[v] for v in values)


def format_code(code: str) -> str:
    """``7KQ4M2XD9TRBF`` -> ``7KQ4-M2XD-9TRB-F``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class CodeProblem(StrEnum):
    MALFORMED = "malformed"  # wrong length or characters outside the alphabet
    CHECK_FAILED = "check_failed"  # well-formed, but the check character does not match


@dataclass(frozen=True)
class ParsedCode:
    canonical: str | None  # the code to look up, when the input is a possible code
    problem: CodeProblem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def parse_code(text: str) -> ParsedCode:
    """Read what a person typed. Never raises; says what is wrong instead."""
    cleaned = (text or "").translate(_IGNORED)
    # ASCII only: str.upper() would turn "ß" into "SS" and the dotless "ı" into "I".
    if not cleaned.isascii():
        return ParsedCode(None, CodeProblem.MALFORMED)
    cleaned = cleaned.upper()
    if len(cleaned) != CODE_LENGTH or any(ch not in _VALUE for ch in cleaned):
        return ParsedCode(None, CodeProblem.MALFORMED)
    values = [_VALUE[ch] for ch in cleaned]
    canonical = "".join(ALPHABET[v] for v in values)
    if check_value(values[:DATA_LENGTH]) != values[DATA_LENGTH]:
        return ParsedCode(None, CodeProblem.CHECK_FAILED)
    return ParsedCode(canonical)
