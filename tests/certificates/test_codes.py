import re

from hypothesis import given
from hypothesis import strategies as st

from learnward.certificates import codes
from learnward.certificates.codes import (
    ALPHABET,
    CodeProblem,
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
