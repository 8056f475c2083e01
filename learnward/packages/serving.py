"""Serving a package's files to the sandbox: content types, the strict headers, and the SCORM
runtime put in front of each HTML page.

Each HTML page of a SCORM package gets, right after its ``<head>``, the attempt's saved data (a
JSON script element), scorm-again and ``packages/runtime.js``, which makes ``window.API``
(SCORM 1.2) or ``window.API_1484_11`` (SCORM 2004) in the page itself, so the standard API
discovery finds it first, before it would look at a parent it may not touch (docs/integrations.md
says why the API cannot live in a parent frame here).
"""

from __future__ import annotations

import mimetypes
import re

from django.templatetags.static import static
from django.utils.html import json_script

# Content types browsers need right (nosniff is on): the system's table lacks some.
_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".vtt": "text/vtt",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
    ".wasm": "application/wasm",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".html": "text/html",
    ".htm": "text/html",
    ".txt": "text/plain",
}

# The package runs in an opaque origin: scripts and forms, nothing else (no same-origin, no
# top navigation, no popups); plugins never.
CONTENT_SECURITY_POLICY = "sandbox allow-scripts allow-forms; object-src 'none'"

_HEAD = re.compile(rb"<head(\s[^>]*)?>", re.IGNORECASE)
_HTML = re.compile(rb"<html(\s[^>]*)?>", re.IGNORECASE)


def content_type(path: str) -> str:
    lower = path.lower()
    for suffix, kind in _TYPES.items():
        if lower.endswith(suffix):
            return kind + (
                "; charset=utf-8" if kind.startswith("text/") and kind != "text/html" else ""
            )
    guessed, _ = mimetypes.guess_type(path)
    return guessed or "application/octet-stream"


def is_html(path: str) -> bool:
    return path.lower().endswith((".html", ".htm"))


def runtime_tags(*, config: dict) -> bytes:
    """The scripts that give a SCORM page its API, with the attempt's data in ``config``."""
    return (
        str(json_script(config, "learnward-package-runtime"))
        + f'<script src="{static("packages/vendor/scorm-again.min.js")}"></script>'
        + f'<script src="{static("packages/runtime.js")}"></script>'
    ).encode()


def inject(html: bytes, tags: bytes) -> bytes:
    """``tags`` right after ``<head>`` (or ``<html>``, or at the very start)."""
    for pattern in (_HEAD, _HTML):
        match = pattern.search(html)
        if match:
            return html[: match.end()] + tags + html[match.end() :]
    return tags + html


def check_path(path: str) -> str:
    """A path inside the package, as the importer stored it; ValueError for anything else."""
    if "\\" in path or "\x00" in path or path.startswith("/"):
        raise ValueError(path)
    if any(part in ("..", ".") for part in path.split("/")):
        raise ValueError(path)
    return path
