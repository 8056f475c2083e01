"""Setting names and titles on the certificate and its badge: fonts, a fallback font per glyph,
right-to-left scripts, and fitting a text into a given number of lines.

**Fonts.** Registered once per process with reportlab, always embedded as subsets:

- ``LearnwardSans`` and ``LearnwardSans-Bold``: DejaVu Sans from Debian's ``fonts-dejavu-core``
  (Latin, Greek, Cyrillic, Arabic, Hebrew, ...) when installed, otherwise the Bitstream Vera fonts
  bundled with reportlab (Latin-1 only).
- ``LearnwardCJK``: WenQuanYi Zen Hei from Debian's ``fonts-wqy-zenhei`` when installed: Chinese
  ideographs (with extension A), kana and hangul. It is a TrueType collection with TrueType
  outlines, which reportlab embeds. (Noto Sans CJK, ``fonts-noto-cjk``, has PostScript (CFF)
  outlines, which reportlab cannot embed; ``fonts-droid-fallback`` has no hangul.) It has no bold:
  CJK characters on a bold line are drawn in its one weight.

Each character is drawn with the first of the two fonts that has it (the Latin font first); a
character neither has is drawn with the Latin font, as a box. Combining marks stay in the font of
the letter before them.

**Right to left.** reportlab draws a string glyph after glyph, left to right, without shaping.
A line holding Arabic or Hebrew is therefore prepared first: Arabic letters take their joined
forms (``arabic-reshaper``, with Unicode's presentation forms, which DejaVu has; lam-alef becomes
its ligature) and the line is put in display order by the Unicode bidirectional algorithm
(``python-bidi``). Text extraction that reads right-to-left lines from the right (pdftotext,
PDF viewers, pdfplumber with ``char_dir="rtl"``) gets the name in typed order, in presentation
forms that NFKC normalisation turns back into the letters typed. (An ``/ActualText`` span with
the typed text was tried and left out: poppler reverses it, because it treats it as display
order.) Without those two packages the text is drawn in typed order, as before.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

try:  # optional: without them, right-to-left text is drawn in typed order
    from arabic_reshaper import ArabicReshaper
    from arabic_reshaper.ligatures import LIGATURES
    from bidi import get_display
except ImportError:  # pragma: no cover - exercised by a test that hides the packages
    ArabicReshaper = None  # type: ignore[assignment,misc]
    LIGATURES = ()  # type: ignore[assignment]
    get_display = None  # type: ignore[assignment]

REGULAR = "LearnwardSans"
BOLD = "LearnwardSans-Bold"
CJK = "LearnwardCJK"
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
VERA_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
CJK_FONT = (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0)  # (file, font in collection)

_fonts_lock = threading.Lock()
_fonts_registered = False
_fallbacks: tuple[str, ...] = ()  # names of the registered fallback fonts, in order

RTL_CLASSES = frozenset({"R", "AL", "RLE", "RLO", "RLI"})


def font_files() -> tuple[Path, Path]:
    dejavu = (DEJAVU_DIR / "DejaVuSans.ttf", DEJAVU_DIR / "DejaVuSans-Bold.ttf")
    if all(p.is_file() for p in dejavu):
        return dejavu
    return VERA_DIR / "Vera.ttf", VERA_DIR / "VeraBd.ttf"


def cjk_font_file() -> tuple[Path, int] | None:
    path, index = CJK_FONT
    return (path, index) if path.is_file() else None


def register_fonts() -> None:
    """Register the fonts with reportlab, once per process (thread-safe)."""
    global _fonts_registered, _fallbacks
    if _fonts_registered:
        return
    with _fonts_lock:
        if _fonts_registered:
            return
        regular, bold = font_files()
        pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
        pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
        fallbacks = []
        cjk = cjk_font_file()
        if cjk is not None:
            pdfmetrics.registerFont(TTFont(CJK, str(cjk[0]), subfontIndex=cjk[1]))
            fallbacks.append(CJK)
        _fallbacks = tuple(fallbacks)
        _glyphs.cache_clear()
        _reshaper.cache_clear()
        _unit_width.cache_clear()
        _fonts_registered = True


def reset_fonts() -> None:
    """Unregister the fonts, so the next :func:`register_fonts` looks for the files again (for
    tests: reportlab keeps the first font registered under a name)."""
    global _fonts_registered
    with _fonts_lock:
        for name in (REGULAR, BOLD, CJK):
            font = pdfmetrics._fonts.get(name)  # no public lookup that does not try to load one
            if font is not None:
                font.unregister()
        _fonts_registered = False


@lru_cache(maxsize=8)
def _glyphs(font: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


def _has(font: str, ch: str) -> bool:
    return ord(ch) in _glyphs(font)


# --- right to left ----------------------------------------------------------------------------


def is_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in RTL_CLASSES for ch in text)


@lru_cache(maxsize=1)
def _reshaper():
    if ArabicReshaper is None:
        return None
    # Keep every mark the person typed; join lam and alef (required in Arabic writing) and use
    # no other ligature (the word ligatures would set a name such as Muhammad as one symbol).
    configuration = {"delete_harakat": False, "support_ligatures": True}
    configuration.update({name: "LAM WITH ALEF" in name for name, _ in LIGATURES})
    return ArabicReshaper(configuration=configuration)


def visual(text: str, font: str = REGULAR) -> str:
    """``text`` in display order with Arabic joined, ready to be drawn left to right."""
    if get_display is None or not is_rtl(text):
        return text
    shaped = _reshaper().reshape(text)
    # A presentation form the font lacks is drawn as its plain letter rather than as a box.
    shaped = "".join(
        ch if _has(font, ch) or not _has(font, base := unicodedata.normalize("NFKC", ch)) else base
        for ch in shaped
    )
    return get_display(shaped)


# --- fonts per glyph ---------------------------------------------------------------------------


def runs(text: str, font: str) -> list[tuple[str, str]]:
    """Split ``text`` (in display order) into (font, characters) runs, falling back per glyph."""
    out: list[tuple[str, str]] = []
    for ch in text:
        if out and unicodedata.combining(ch):
            chosen = out[-1][0]  # a mark stays with its letter
        elif _has(font, ch):
            chosen = font
        else:
            chosen = next((f for f in _fallbacks if _has(f, ch)), font)
        if out and out[-1][0] == chosen:
            out[-1] = (chosen, out[-1][1] + ch)
        else:
            out.append((chosen, ch))
    return out


@lru_cache(maxsize=4096)
def _unit_width(text: str, font: str) -> float:
    shown = visual(text, font)
    return sum(pdfmetrics.stringWidth(part, name, 1) for name, part in runs(shown, font))


def text_width(text: str, font: str, size: float) -> float:
    """The drawn width of ``text`` (typed order) at ``size``.

    Widths add up word by word: reportlab does not kern, Arabic letters join only within a word,
    and putting a line in display order moves words without changing their widths."""
    return _unit_width(text, font) * size


# --- fitting ------------------------------------------------------------------------------------


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """Split a word too wide for a line into pieces that fit, each as long as possible."""
    pieces = []
    while word:
        low, high = 1, len(word)  # the longest prefix that fits (at least one character)
        while low < high:
            middle = (low + high + 1) // 2
            if text_width(word[:middle], font, size) <= width:
                low = middle
            else:
                high = middle - 1
        pieces.append(word[:low])
        word = word[low:]
    return pieces


def wrap(
    text: str, font: str, size: float, width: float, *, break_words: bool = False
) -> list[str] | None:
    """Greedy word wrap into lines at most ``width`` wide. A word wider than a line is split
    between characters when ``break_words``; otherwise the answer is None (it does not fit)."""
    space = text_width(" ", font, size)
    lines: list[str] = []
    line, line_width = "", 0.0
    for word in text.split():
        word_width = text_width(word, font, size)
        if line and line_width + space + word_width <= width:
            line, line_width = f"{line} {word}", line_width + space + word_width
            continue
        if line:
            lines.append(line)
        if word_width <= width:
            line, line_width = word, word_width
        elif not break_words:
            return None
        else:
            *whole, line = _break_word(word, font, size, width)
            lines.extend(whole)
            line_width = text_width(line, font, size)
    if line:
        lines.append(line)
    return lines or [""]


def fit(
    text: str,
    font: str,
    *,
    width: float,
    size: float,
    min_size: float,
    max_lines: int,
    more_lines: int | None = None,
    step: float = 0.5,
) -> tuple[float, list[str]]:
    """The largest size (from ``size`` down) at which ``text`` wraps into at most ``max_lines``
    lines of at most ``width``, and those lines.

    Down to ``min_size`` only whole words move to the next line. Below it, ``more_lines`` lines
    are allowed (if given), a word too long for a line is split between characters, and the size
    keeps going down until the text fits: it always does, so no text ever runs past ``width`` or
    takes more lines than allowed.
    """
    current = size
    while current >= min_size:
        lines = wrap(text, font, current, width)
        if lines is not None and len(lines) <= max_lines:
            return current, lines
        current -= step
    limit = more_lines or max_lines
    current = min(size, min_size)
    while True:
        lines = wrap(text, font, current, width, break_words=True)
        assert lines is not None
        if len(lines) <= limit or current <= step:
            return current, lines[:limit]
        current = max(current - step, step)


# --- drawing ------------------------------------------------------------------------------------


def draw(
    canvas: Canvas, x: float, y: float, text: str, font: str, size: float, *, centred: bool = False
) -> float:
    """Draw one line (typed order) with its baseline at ``y``, starting at ``x`` or centred on
    it; returns the width drawn."""
    shown = visual(text, font)
    parts = runs(shown, font)
    width = sum(pdfmetrics.stringWidth(part, name, size) for name, part in parts)
    left = x - width / 2 if centred else x
    for name, part in parts:
        canvas.setFont(name, size)
        canvas.drawString(left, y, part)
        left += pdfmetrics.stringWidth(part, name, size)
    canvas.setFont(font, size)
    return width
