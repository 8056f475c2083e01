import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnward.certificates import codes
from learnward.certificates.codes import (
    ALPHABET,
    TYPED_CODE_PATTERN,
    CodeProblem,
    ParsedCode,
    check_value,
    format_code,
    new_code,
    parse_code,
)

data_values = st.lists(st.integers(0, 31), min_size=12, max_size=12)


def _code(values: list[int]) -> str:
    return "".join(ALPHABET[v] for v in values + [check_value(values)])


def test_new_codes_are_grouped_crockford_with_a_valid_check():
    code = new_code()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{13}", code)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]", format_code(code))
    assert parse_code(code).canonical == code


def test_codes_carry_sixty_random_bits_from_secrets(monkeypatch):
    asked = []

    def fake_randbits(k):
        asked.append(k)
        return (1 << k) - 1

    monkeypatch.setattr(codes.secrets, "randbits", fake_randbits)
    assert new_code()[:12] == "Z" * 12
    assert asked == [60]


def test_codes_differ():
    assert len({new_code() for _ in range(2000)}) == 2000


@given(data_values)
def test_lookup_ignores_case_spaces_and_dashes(values):
    code = _code(values)
    typed = " " + "-".join(code[i : i + 3] for i in range(0, 13, 3)).lower() + " "
    assert parse_code(typed).canonical == code
    assert parse_code(format_code(code)).canonical == code


def test_lookalike_letters_read_as_digits():
    values = [1, 0, 1, 0, 5, 6, 7, 8, 9, 10, 11, 12]
    code = _code(values)
    assert code.startswith("1010")
    typed = "IOLo" + code[4:]
    assert parse_code(typed).canonical == code


@given(data_values, st.integers(0, 12), st.integers(1, 31))
def test_every_single_character_mistake_is_caught(values, position, delta):
    code = _code(values)
    wrong = list(code)
    wrong[position] = ALPHABET[(ALPHABET.index(code[position]) + delta) % 32]
    assert parse_code("".join(wrong)).problem == CodeProblem.CHECK_FAILED


@given(data_values, st.integers(0, 12), st.integers(0, 12))
def test_every_swap_of_two_different_characters_is_caught(values, i, j):
    code = list(_code(values))
    if code[i] == code[j]:
        return
    code[i], code[j] = code[j], code[i]
    assert parse_code("".join(code)).problem == CodeProblem.CHECK_FAILED


def test_malformed_input_is_told_apart_from_a_typing_mistake():
    for text in ["", "hello", "7KQ4-M2XD-9TRB", "7KQ4-M2XD-9TRB-HH", "7KQ4-M2XD-9TRB-U", "💥" * 13]:
        parsed = parse_code(text)
        assert parsed.problem == CodeProblem.MALFORMED
        assert parsed.canonical is None


# --- Known answers, worked out from the scheme in docs/certificates.md, not with check_value ------
#
# Characters are their index in the alphabet 0123456789ABCDEFGHJKMNPQRSTVWXYZ. In GF(32) built on
# x^5 + x^2 + 1 (so x^5 = x^2 + 1, i.e. 32 -> 5), alpha = x = 2 and the weights alpha^1..alpha^12
# of the twelve data characters are 2, 4, 8, 16, 5, 10, 20, 13, 26, 17, 7, 14. The check
# character is the XOR of weight_i * c_i (products in GF(32)). By hand, for example:
#   1000-0000-0000: 1 * alpha^1 = 2                    -> "2"
#   0000-0000-0001: 1 * alpha^12 = 14                  -> "E"
#   0300-0000-0000: 3 * alpha^2 = (x + 1) x^2 = 8 ^ 4 = 12 -> "C"
#   1100-0000-0000: alpha^1 ^ alpha^2 = 2 ^ 4 = 6      -> "6"
# Shifting the weights by one position (alpha^0..alpha^11 or alpha^2..alpha^13) changes every
# one of these.
WEIGHTS = [2, 4, 8, 16, 5, 10, 20, 13, 26, 17, 7, 14]
KNOWN_CODES = [
    "0000-0000-0000-0",
    "1000-0000-0000-2",
    "0000-0000-0001-E",
    "0300-0000-0000-C",
    "1100-0000-0000-6",
    "ZZZZ-ZZZZ-ZZZZ-R",
    "0123-4567-89AB-Y",
    "CDEF-GHJK-MNPQ-F",
    "RSTV-WXYZ-0123-G",
    "7KQ4-M2XD-9TRB-F",
]


def _gf32_multiply(a: int, b: int) -> int:
    """Multiplication by the definition: carry-less product, then reduce by x^5 + x^2 + 1."""
    product = 0
    for bit in range(5):
        if b >> bit & 1:
            product ^= a << bit
    for degree in range(9, 4, -1):
        if product >> degree & 1:
            product ^= 0b100101 << (degree - 5)
    return product


def test_the_documented_weights_are_the_powers_of_alpha():
    power, powers = 1, []
    for _ in range(12):
        power = _gf32_multiply(power, 2)
        powers.append(power)
    assert powers == WEIGHTS
    assert len(set(WEIGHTS)) == 12 and 0 not in WEIGHTS


@pytest.mark.parametrize("code", KNOWN_CODES)
def test_known_codes_computed_from_the_documented_scheme(code):
    canonical = code.replace("-", "")
    values = [ALPHABET.index(ch) for ch in canonical]
    by_hand = 0
    for weight, value in zip(WEIGHTS, values[:12], strict=True):
        by_hand ^= _gf32_multiply(weight, value)
    assert ALPHABET[by_hand] == canonical[12]  # the table above is right
    assert check_value(values[:12]) == values[12]
    assert parse_code(code) == ParsedCode(canonical)
    assert format_code(canonical) == code
    for other in ALPHABET.replace(canonical[12], ""):
        assert parse_code(code[:-1] + other).problem == CodeProblem.CHECK_FAILED


@given(data_values)
def test_check_value_is_the_documented_sum(values):
    expected = 0
    for weight, value in zip(WEIGHTS, values, strict=True):
        expected ^= _gf32_multiply(weight, value)
    assert check_value(values) == expected


def _examples_in(text: str) -> list[str]:
    return re.findall(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]\b", text)


def test_every_example_code_shown_to_people_is_a_valid_code():
    from learnward.certificates.api import CertificateOut
    from learnward.certificates.forms import VerifyForm
    from learnward.certificates.verification import MESSAGES, Outcome

    shown = {
        "the not-a-code message": str(MESSAGES[Outcome.MALFORMED]),
        "the verify form's help": str(VerifyForm.base_fields["code"].help_text),
        "the API schema": CertificateOut.model_fields["code"].description,
        "codes.py": codes.__doc__,
        "docs/certificates.md": (Path(__file__).parents[2] / "docs/certificates.md").read_text(),
    }
    for where, text in shown.items():
        examples = _examples_in(text)
        assert examples, where
        for example in examples:
            assert parse_code(example).ok, f"{example} in {where} fails its check character"


# --- The published pattern of a typed code ---------------------------------------------------------

typed_characters = st.sampled_from(
    list(ALPHABET + ALPHABET.lower() + "IiLlOoUu -\t\u00a0\u2010\u2011\u2012\u2013\u2014\u2015")
    + ["ß", "ı", "ſ", "７", "\n", "_", "💥", "\u0301", "\u212a"]
)


@given(st.one_of(st.text(typed_characters, max_size=20), st.text(max_size=20)))
def test_the_pattern_matches_exactly_what_is_not_malformed(text):
    matches = re.fullmatch(TYPED_CODE_PATTERN, text) is not None
    assert matches == (parse_code(text).problem != CodeProblem.MALFORMED)


@pytest.mark.parametrize("text", ["ß" + "A" * 11, "7KQ4-M2XD-9TRB-ı", "ſ" * 13])
def test_letters_that_uppercase_to_ascii_are_not_read_as_code_characters(text):
    assert parse_code(text) == ParsedCode(None, CodeProblem.MALFORMED)


def test_the_random_number_is_read_five_bits_at_a_time_most_significant_first(monkeypatch):
    number = 0
    for value in range(12):  # the characters 0123456789AB
        number = number << 5 | value
    monkeypatch.setattr(codes.secrets, "randbits", lambda k: number)
    assert new_code() == "0123456789ABY"  # "0123-4567-89AB-Y" in KNOWN_CODES


@pytest.mark.parametrize("text", [None, "", "   ", "--"])
def test_nothing_typed_is_malformed_and_never_raises(text):
    assert parse_code(text) == ParsedCode(None, CodeProblem.MALFORMED)


def test_a_typing_mistake_gives_no_code_to_look_up():
    assert parse_code("7KQ4-M2XD-9TRB-G") == ParsedCode(None, CodeProblem.CHECK_FAILED)
    assert not parse_code("7KQ4-M2XD-9TRB-G").ok
    assert parse_code("7KQ4-M2XD-9TRB-F").ok
