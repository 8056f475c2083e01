"""Names on the certificate PDF: the longest a form accepts wraps onto at most two lines and shrinks,
never leaving the border; CJK, Arabic, Hebrew, Greek and Cyrillic names print and extract as typed;
without the optional fonts and packages the PDF still renders, as before."""

from __future__ import annotations

import io
import subprocess
import unicodedata

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnward.accounts.forms import ProfileForm, SignUpForm
from learnward.accounts.models import User
from learnward.certificates import typesetting
from learnward.certificates.forms import ReissueForm
from learnward.certificates.pdf import BORDER, PAGE_HEIGHT, PAGE_WIDTH, certificate_pdf_bytes

TOLERANCE = 0.01  # points: rounding in pdfminer's boxes
SIGN_UP_MAX = SignUpForm.base_fields["display_name"].max_length
REISSUE_MAX = ReissueForm.base_fields["holder_name"].max_length


def test_the_limits_tested_here_are_the_forms_limits():
    assert SIGN_UP_MAX == ProfileForm.base_fields["display_name"].max_length == 150
    assert User._meta.get_field("display_name").max_length == SIGN_UP_MAX
    assert REISSUE_MAX == 200  # staff correcting a name on a reissue may use up to 200


def _realistic(length: int) -> str:
    """A long name of real-looking words, exactly ``length`` characters."""
    words = (
        "Maximiliana Wilhelmina Theodora Alexandrovna Konstantinopoulou-Featherstonehaugh de la "
        "Cruz y Montenegro Villanueva-Schwarzenberg Ó Súilleabháin Bartholomew Mwangi-Okonkwo "
        "Nakamura Ravichandran Kowalczyk-Wiśniewska"
    )
    assert len(words) >= length
    name = words[:length].rstrip()
    return name + "x" * (length - len(name))


def _pdf(certificate, name: str, title: str | None = None) -> bytes:
    certificate.holder_name = name
    if title is not None:
        certificate.course_title = title
    return certificate_pdf_bytes(certificate=certificate)


def _segment(chars: list[dict], before: str, after: str) -> list[dict]:
    """The characters drawn between the line ``before`` and the line ``after`` (content order)."""
    text = "".join(c["text"] for c in chars)
    start = text.index(before) + len(before)
    end = text.index(after, start)
    return chars[start:end]


def _line_of(chars: list[dict], line: str) -> list[dict]:
    text = "".join(c["text"] for c in chars)
    start = text.index(line)
    return chars[start : start + len(line)]


def _inside_the_border(char: dict) -> bool:
    x0, y0, x1, y1 = BORDER  # PDF coordinates, y up; pdfplumber's top/bottom are from the top
    return (
        x0 - TOLERANCE <= char["x0"] <= char["x1"] <= x1 + TOLERANCE
        and PAGE_HEIGHT - y1 - TOLERANCE <= char["top"] <= char["bottom"]
        and char["bottom"] <= PAGE_HEIGHT - y0 + TOLERANCE
    )


def _name_chars(pdf: bytes) -> tuple[list[dict], list[dict], list[dict]]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        (page,) = document.pages
        assert (page.width, page.height) == (pytest.approx(PAGE_WIDTH), pytest.approx(PAGE_HEIGHT))
        chars = list(page.chars)
    name = _segment(chars, "This certifies that", "has successfully completed the course")
    return chars, name, [c for c in chars if c not in name]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("W" * SIGN_UP_MAX, id="W-sign-up-max"),
        pytest.param("W" * REISSUE_MAX, id="W-reissue-max"),
        pytest.param(_realistic(SIGN_UP_MAX), id="realistic-sign-up-max"),
        pytest.param(_realistic(REISSUE_MAX), id="realistic-reissue-max"),
        pytest.param(" ".join(["WWWWWWW"] * 25)[:REISSUE_MAX], id="wide-words-reissue-max"),
        pytest.param("漢" * REISSUE_MAX, id="cjk-reissue-max"),
        pytest.param(("محمد " * 40)[:REISSUE_MAX], id="arabic-reissue-max"),
        pytest.param("Amira Okafor", id="short"),
    ],
)
def test_a_name_of_any_accepted_length_stays_inside_the_border_on_at_most_two_lines(
    certificate, name
):
    longest_title = "Wide Course Title Words " * 9  # 216 characters, longer than a course may be
    chars, drawn, others = _name_chars(_pdf(certificate, name, longest_title[:200]))

    # Every character on the page, the name's included, is inside the inner border line.
    outside = [c["text"] for c in chars if not _inside_the_border(c)]
    assert outside == []
    # The whole name is there (a line break replaces a space or splits a long word), in one size.
    shown = "".join(c["text"] for c in drawn).replace(" ", "")
    if typesetting.is_rtl(name):  # drawn right to left in joined forms: compare the letters
        assert sorted(unicodedata.normalize("NFKC", shown)) == sorted(name.replace(" ", ""))
    else:
        assert shown == name.replace(" ", "")
    assert len({round(c["size"], 2) for c in drawn}) == 1
    lines = sorted({round(c["top"], 2) for c in drawn})
    assert 1 <= len(lines) <= 2
    # It is between the lines around it, overlapping neither, nor the title and hours below.
    certifies = _line_of(chars, "This certifies that")
    completed = _line_of(chars, "has successfully completed the course")
    assert max(c["bottom"] for c in certifies) <= min(c["top"] for c in drawn) + TOLERANCE
    assert max(c["bottom"] for c in drawn) <= min(c["top"] for c in completed) + TOLERANCE
    hours = _line_of(chars, "3.5 CPD hours")
    awarded = _line_of(chars, "Awarded on")
    assert max(c["bottom"] for c in hours) <= min(c["top"] for c in awarded) + TOLERANCE
    if len(lines) == 2:  # the two lines of the name do not overlap each other either
        first = [c for c in drawn if round(c["top"], 2) == lines[0]]
        second = [c for c in drawn if round(c["top"], 2) == lines[1]]
        assert max(c["bottom"] for c in first) <= min(c["top"] for c in second) + TOLERANCE


@settings(max_examples=80, deadline=None)
@given(st.text(st.sampled_from(list("Wil漢مאΩ -")), min_size=1, max_size=REISSUE_MAX))
def test_fitting_always_ends_within_the_width_and_the_lines(text):
    typesetting.register_fonts()
    width = PAGE_WIDTH - 4 * 42.0  # the PDF's text column
    size, lines = typesetting.fit(
        text, typesetting.BOLD, width=width, size=28, min_size=12, max_lines=2
    )
    assert 0 < size <= 28 and 1 <= len(lines) <= 2
    for line in lines:
        assert typesetting.text_width(line, typesetting.BOLD, size) <= width
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_name_that_fits_on_one_line_keeps_the_full_size(certificate):
    _, drawn, _ = _name_chars(_pdf(certificate, "Amira Okafor"))
    assert {c["size"] for c in drawn} == {28}


def test_a_long_name_wraps_at_a_space_before_it_shrinks(certificate):
    name = _realistic(100)
    _, drawn, _ = _name_chars(_pdf(certificate, name))
    tops = sorted({round(c["top"], 2) for c in drawn})
    assert len(tops) == 2
    first_line = "".join(c["text"] for c in drawn if round(c["top"], 2) == tops[0])
    assert name.startswith(first_line.rstrip() + " ")  # broken between words, not inside one
    assert drawn[0]["size"] >= 12


def _name_text(pdf: bytes, *, rtl: bool = False) -> str:
    """The name line(s) as pdfplumber extracts them; right-to-left lines read from the right."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        chars = list(page.chars)
        drawn = _segment(chars, "This certifies that", "has successfully completed the course")
        box = (
            min(c["x0"] for c in drawn),
            min(c["top"] for c in drawn),
            max(c["x1"] for c in drawn),
            max(c["bottom"] for c in drawn),
        )
        cropped = page.crop(box)
        if rtl:
            return cropped.extract_text(char_dir="rtl", char_dir_render="ltr")
        return cropped.extract_text()


def _fonts(tmp_path, pdf: bytes) -> list[str]:
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return listing.stdout.splitlines()[2:]


def _require_cjk_font():
    if typesetting.cjk_font_file() is None:
        pytest.fail("The CJK font is missing: apt-get install fonts-wqy-zenhei (.ci/run does).")


@pytest.mark.parametrize(
    "name",
    [
        "王漢字",  # Chinese
        "山田 さくら",  # Japanese: kanji and kana
        "김민준",  # Korean
        "Ζωή Παπαδοπούλου",  # Greek
        "Анна Иванова-Щукина",  # Cyrillic
        "Zoë Łukasiewicz-Øvergård",
        "李 Amira Okafor",  # mixed: the CJK character falls back, the rest stays in DejaVu
    ],
)
def test_left_to_right_names_in_any_script_extract_as_typed(tmp_path, certificate, name):
    if any(unicodedata.name(ch, "").startswith(("CJK", "HANGUL", "HIRAGANA")) for ch in name):
        _require_cjk_font()
    pdf = _pdf(certificate, name)
    assert _name_text(pdf) == name
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        chars = _segment(page.chars, "This certifies that", "has successfully completed")
    for char in chars:
        if char["text"].strip():
            font = char["fontname"].split("+", 1)[-1]
            expected = "WenQuanYi" if ord(char["text"]) >= 0x1100 else "DejaVuSans-Bold"
            assert font.startswith(expected), (char["text"], font)


def test_a_cjk_name_embeds_a_subset_of_the_cjk_font(tmp_path, certificate):
    _require_cjk_font()
    rows = _fonts(tmp_path, _pdf(certificate, "王漢字"))
    cjk = [row for row in rows if "WenQuanYi" in row]
    assert len(cjk) == 1 and cjk[0].split()[-5:-3] == ["yes", "yes"]  # embedded, subset
    assert len(rows) == 3
    # Only the few glyphs used are embedded, not the 17 MB font.
    assert len(_pdf(certificate, "王漢字")) < 120_000


@pytest.mark.parametrize(
    "name",
    ["محمد عبد الله", "فاطمة الزهراء", "لمى سلام", "דוד כהן"],
)
def test_right_to_left_names_print_right_to_left_and_extract_as_typed(tmp_path, certificate, name):
    pdf = _pdf(certificate, name)
    extracted = _name_text(pdf, rtl=True)
    # Arabic is drawn in its joined (presentation) forms; NFKC gives back the letters typed.
    assert unicodedata.normalize("NFKC", extracted) == name
    # Displayed right to left: the first letter typed is the right-most one drawn.
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        drawn = _segment(document.pages[0].chars, "This certifies that", "has successfully")
    rightmost = max(drawn, key=lambda c: c["x1"])
    assert unicodedata.normalize("NFKC", rightmost["text"])[0] == name[0]
    # pdftotext reads it in typed order too (it marks the run with U+202B ... U+202C).
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    lines = [unicodedata.normalize("NFKC", line.strip("\u202b\u202c")) for line in text.split("\n")]
    assert name in lines


def test_arabic_letters_are_joined_and_lam_alef_is_one_ligature(certificate):
    extracted = _name_text(_pdf(certificate, "لمى سلام"), rtl=True)
    assert "\ufedf" in extracted  # lam, initial form
    assert "\ufefc" in extracted  # lam-alef ligature, final form
    assert all(unicodedata.category(ch) != "Lo" or ord(ch) >= 0xFB50 for ch in extracted)


@pytest.fixture
def without_optional_fonts(monkeypatch, tmp_path):
    """No DejaVu, no CJK font: as on a machine without fonts-dejavu-core or fonts-wqy-zenhei."""
    monkeypatch.setattr(typesetting, "DEJAVU_DIR", tmp_path / "no-dejavu")
    monkeypatch.setattr(typesetting, "CJK_FONT", (tmp_path / "no-cjk.ttc", 0))
    typesetting.reset_fonts()
    yield
    monkeypatch.undo()
    typesetting.reset_fonts()
    typesetting.register_fonts()


def test_without_the_fonts_the_pdf_still_renders_with_the_bundled_ones(
    tmp_path, certificate, without_optional_fonts
):
    pdf = _pdf(certificate, "Amira 漢字 Okafor")
    rows = _fonts(tmp_path, pdf)
    assert rows and all("Vera" in row for row in rows)
    text = _name_text(pdf)
    assert text.startswith("Amira") and text.endswith("Okafor")  # CJK drawn as boxes, as before


def test_without_the_bidi_packages_right_to_left_names_are_drawn_in_typed_order(
    monkeypatch, certificate
):
    monkeypatch.setattr(typesetting, "get_display", None)
    assert _name_text(_pdf(certificate, "דוד כהן")) == "דוד כהן"
