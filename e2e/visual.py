"""Visual checks: full-page screenshots compared with the committed references in e2e/visual/.

A reference is only written by a deliberate run with ``LEARNWARD_UPDATE_SCREENSHOTS=1``
(``make screenshots``); a normal run compares and, on a mismatch, writes the actual image and a
picture of the differences under ``var/visual-failures/`` for a person to look at. Dynamic text
(certificate codes, references, QR codes, anything marked ``data-visual-mask``) is blanked
before the shot, and the tests freeze the clock, so only a real change of the page fails.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCES = Path(__file__).resolve().parent / "visual"
FAILURES = ROOT / "var" / "visual-failures"
UPDATE_VARIABLE = "LEARNWARD_UPDATE_SCREENSHOTS"
# The share of pixels that may differ (anti-aliasing, a font hinting change) before it fails.
TOLERANCE = float(os.environ.get("LEARNWARD_VISUAL_TOLERANCE", "0.005"))
# A pixel counts as different when a colour channel moved more than this (0-255).
PIXEL_THRESHOLD = 24

# Blank what changes from run to run, keeping the layout: elements by selector are hidden
# (their space kept); text matching these patterns is replaced by a same-length run of "X".
MASK_SELECTORS = ["[data-visual-mask]", "img[src^='data:image']", "canvas", "video"]
MASK_PATTERNS = [
    r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]\b",  # certificate codes
    r"\bLW-[0-9A-Z]{4}-[0-9A-Z]{4}\b",  # support references
    r"\b[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\b",  # uuids
    r"\b(ORD|INV|CN)-[0-9A-Z-]{4,}\b",  # orders, invoices, credit notes
]

_FREEZE_JS = """
([selectors, patterns]) => {
  const style = document.createElement('style');
  style.textContent = selectors.join(',') + '{visibility:hidden !important}' +
    '*,*::before,*::after{transition:none !important;animation:none !important;caret-color:transparent !important}';
  document.head.appendChild(style);
  const regexes = patterns.map(p => new RegExp(p, 'gi'));
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    let text = node.nodeValue, changed = false;
    for (const re of regexes) {
      text = text.replace(re, m => { changed = true; return m.replace(/[0-9A-Za-z]/g, 'X'); });
    }
    if (changed) node.nodeValue = text;
  }
  for (const input of document.querySelectorAll('input[name=csrfmiddlewaretoken]')) input.value = '';
}
"""


def updating() -> bool:
    return os.environ.get(UPDATE_VARIABLE) == "1"


def freeze_dynamic(page) -> None:
    """Blank the dynamic parts of the page (see MASK_SELECTORS and MASK_PATTERNS)."""
    page.evaluate(_FREEZE_JS, [MASK_SELECTORS, MASK_PATTERNS])


def difference_ratio(expected: bytes, actual: bytes):
    """(share of pixels that differ, a picture of the differences); sizes must match, else
    (1.0, None)."""
    from PIL import Image, ImageChops

    a = Image.open(io.BytesIO(expected)).convert("RGB")
    b = Image.open(io.BytesIO(actual)).convert("RGB")
    if a.size != b.size:
        return 1.0, None
    diff = ImageChops.difference(a, b)
    # The largest channel difference per pixel, then a mask of pixels over the threshold.
    channels = diff.split()
    peak = ImageChops.lighter(ImageChops.lighter(channels[0], channels[1]), channels[2])
    mask = peak.point(lambda v: 255 if v > PIXEL_THRESHOLD else 0)
    changed = mask.histogram()[255]
    picture = Image.blend(a, Image.new("RGB", a.size, "white"), 0.7)
    picture.paste(Image.new("RGB", a.size, (220, 0, 0)), mask=mask)
    return changed / (a.size[0] * a.size[1]), picture


def check_visual(page, name: str) -> None:
    """Compare a full-page screenshot of ``page`` with ``e2e/visual/<name>.png``."""
    freeze_dynamic(page)
    page.wait_for_load_state("networkidle")
    # A very tall page takes a while to capture on a busy machine.
    actual = page.screenshot(full_page=True, animations="disabled", caret="hide", timeout=90_000)
    reference = REFERENCES / f"{name}.png"
    if updating():
        REFERENCES.mkdir(parents=True, exist_ok=True)
        reference.write_bytes(actual)
        return
    if not reference.exists():
        pytest.fail(
            f"No reference image for {name!r} ({reference.relative_to(ROOT)}). Create the "
            f"references with `make screenshots` ({UPDATE_VARIABLE}=1 pytest e2e/test_visual.py), "
            "look at every new image, and commit them."
        )
    ratio, picture = difference_ratio(reference.read_bytes(), actual)
    if ratio <= TOLERANCE:
        return
    FAILURES.mkdir(parents=True, exist_ok=True)
    (FAILURES / f"{name}.actual.png").write_bytes(actual)
    if picture is not None:
        picture.save(FAILURES / f"{name}.diff.png")
    size = "a different size" if picture is None else f"{ratio:.2%} of pixels changed"
    pytest.fail(
        f"{name} does not match its reference ({size}; {TOLERANCE:.2%} allowed). The actual "
        f"image and the differences are in {FAILURES.relative_to(ROOT)}/. If the change is "
        f"meant, update the references with `make screenshots` and commit them."
    )
