"""Find text people read that is not marked for translation (docs/translation.md, "The checks").

A heuristic, run by tests/core/test_translations.py and by hand::

    .venv/bin/python tools/i18n_lint.py            # every finding, as path:line: text

Templates (``learnward/templates/**`` and ``learnward/<app>/templates/**``, ``.html`` and
``.txt``): Django's own lexer splits each
template; text between tags (with HTML tags, ``<script>``/``<style>`` bodies and entities taken
out) and the human attributes (``title``, ``alt``, ``placeholder``, ``aria-label``,
``aria-description``, ``content`` of a description meta tag) must contain no word of two or more
letters outside ``{% translate %}`` and ``{% blocktranslate %}``.

Python (``learnward/**/*.py`` except migrations): a literal string (or f-string) with a word of
two or more letters is a finding where people will read it:

- the text of ``messages.success/info/warning/error``, ``ValidationError``, ``add_error``,
  ``HttpError`` (the API's JSON ``detail``) and ``self.stdout.write``/``self.stderr.write`` and
  ``CommandError`` (operators' output);
- the keywords ``label``, ``help_text``, ``verbose_name``, ``verbose_name_plural``,
  ``empty_label``, ``subject``, ``description``, ``short_description``, ``title``, ``summary``,
  ``reason``, ``source``, ``retention_note``, ``name`` in ``Purpose``/``Processor``/``declare``
  calls and ``error_messages`` dictionaries;
- the label of a ``TextChoices``/``IntegerChoices`` member (``X = "x", "Label"``) and of a
  ``choices=[("x", "Label")]`` list.

Marked means wrapped in one of Django's translation functions (``_``, ``gettext``,
``gettext_lazy``, ``ngettext``, ``pgettext``, ... and ``format_lazy``). ``ALLOWED`` lists the
text that is the same in every language (names, formats, technical values) and the files whose
text nobody reads as prose.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "learnward"

# Text that reads the same in every language: names, units and technical values.
ALLOWED_TEXT = {
    "Learnward",
    "Open Badges",
    "Open Badges 3.0",
    "OB 3.0",
    "JSON",
    "JSON-LD",
    "CSV",
    "PDF",
    "PNG",
    "SVG",
    "MP4",
    "WebM",
    "WebVTT",
    "SCORM",
    "LTI",
    "LTI 1.3",
    "xAPI",
    "OpenID Connect",
    "OIDC",
    "URL",
    "ID",
    "CPD",
    "VAT",
    "IBAN",
    "QR",
    "API",
    "HTML",
    "Markdown",
    "YouTube",
    "Vimeo",
    "Stripe",
    "Redis",
    "OK",
    "English",
    "Nederlands",
    "Français",
    "ICS",
    "iCalendar",
    "B",
    "I",
    "H2",
    "H3",
    "px",
    "kB",
    "MB",
    "GB",
}

# Files whose text is not prose for people: stylesheets, machine formats, the design gallery's
# sample content (staff-only, lorem-style specimens), and documents for the regulator that stay
# in the source language (see docs/translation.md).
ALLOWED_FILES = {
    "core/brand.css",
    "core/robots.txt",
    # The design gallery is the developers' reference for the markup, written in the source
    # language like the code it documents.
    "core/design.html",
}
ALLOWED_FILE_PREFIXES = ("core/gallery/",)

TRANSLATION_FUNCTIONS = {
    "_",
    "_lazy",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "format_lazy",
    "N_",
}

WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


def _needs_translation(text: str) -> bool:
    text = re.sub(r"&[#\w]+;", " ", text).strip()
    if not text or text in ALLOWED_TEXT:
        return False
    words = WORD.findall(text)
    return any(w not in ALLOWED_TEXT for w in words)


# --- Templates -------------------------------------------------------------------------------

HUMAN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description"}


class _TextCollector(HTMLParser):
    """The readable text of an HTML fragment: data outside script/style, and human attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if name in HUMAN_ATTRIBUTES and value:
                self.texts.append(value)
        if tag == "meta" and attributes.get("name") == "description" and attributes.get("content"):
            self.texts.append(attributes["content"])
        if (
            tag == "input"
            and attributes.get("type") in ("submit", "button")
            and attributes.get("value")
        ):
            self.texts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.texts.append(data)


# Tags whose contents are not shown as text, or are translated whole.
_OPENING = {
    "translate": None,
    "trans": None,
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
    "verbatim": "endverbatim",
}


def template_findings(path: Path, relative: str) -> list[Finding]:
    from django.template.base import Lexer, TokenType

    source = path.read_text(encoding="utf-8")
    tokens = Lexer(source).tokenize()
    findings: list[Finding] = []
    closing: str | None = None
    # Template tags are replaced by a neutral placeholder so HTML around them still parses.
    pieces: list[tuple[str, int]] = []
    for token in tokens:
        if closing is not None:
            if token.token_type == TokenType.BLOCK and token.split_contents()[0] == closing:
                closing = None
            continue
        if token.token_type == TokenType.BLOCK:
            bits = token.split_contents()
            name = bits[0]
            if name in _OPENING and _OPENING[name]:
                closing = _OPENING[name]
            elif name == "block" and len(bits) > 1 and bits[1].endswith("class"):
                closing = "endblock"  # {% block main_class %}: class names, not text
            pieces.append((" ", token.lineno))
        elif token.token_type == TokenType.VAR:
            pieces.append(("\x00", token.lineno))
        elif token.token_type == TokenType.TEXT:
            pieces.append((token.contents, token.lineno))
    # Parse the whole text with placeholders; report each readable piece at its line.
    text = "".join(p for p, _ in pieces)
    starts = []
    offset = 0
    for piece, line in pieces:
        starts.append((offset, line, piece))
        offset += len(piece)
    if path.suffix == ".txt":
        readable = [t for t, _ in pieces if t != "\x00"]
    else:
        collector = _TextCollector()
        collector.feed(text)
        collector.close()
        readable = collector.texts
    seen: set[str] = set()
    for chunk in readable:
        for part in chunk.split("\x00"):
            part = " ".join(part.split())
            if not part or part in seen or not _needs_translation(part):
                continue
            seen.add(part)
            line = next((ln for _, ln, piece in starts if part.split()[0] in piece), 0)
            findings.append(Finding(relative, line, part[:80]))
    return findings


# --- Python ----------------------------------------------------------------------------------

MESSAGE_FUNCTIONS = {"success", "info", "warning", "error", "debug", "add_message"}
ERROR_CALLS = {"ValidationError", "HttpError", "CommandError"}
TEXT_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "subject",
    "short_description",
}
# Keywords that are text only in the registry's and the notice's declarations.
DECLARATION_CALLS = {"declare", "Purpose", "Processor", "Retention", "Erasure", "DataCategory"}
DECLARATION_KEYWORDS = {
    "description",
    "title",
    "summary",
    "reason",
    "source",
    "retention_note",
    "label",
    "name",
    "legitimate_interest",
    "art9_condition",
}


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _literal_text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else " " for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        left = _literal_text(node.left)
        return left
    return None


class _PythonVisitor(ast.NodeVisitor):
    def __init__(self, relative: str) -> None:
        self.relative = relative
        self.findings: list[Finding] = []
        self._choices_class = 0

    def _check(self, node: ast.AST) -> None:
        text = _literal_text(node)
        if text is not None and _needs_translation(text):
            self.findings.append(Finding(self.relative, node.lineno, " ".join(text.split())[:80]))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        is_choices = any(
            (isinstance(b, ast.Attribute) and b.attr.endswith("Choices"))
            or (isinstance(b, ast.Name) and b.id.endswith("Choices"))
            for b in node.bases
        )
        if is_choices:
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and isinstance(statement.value, ast.Tuple)
                    and len(statement.value.elts) >= 2
                ):
                    self._check(statement.value.elts[-1])
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node)
        if name in TRANSLATION_FUNCTIONS:
            return  # marked: nothing inside needs checking
        if name in MESSAGE_FUNCTIONS and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id == "messages" and len(node.args) >= 2:
                self._check(node.args[1])
        if name in ERROR_CALLS and node.args:
            self._check(node.args[-1] if name == "HttpError" else node.args[0])
        if name == "add_error" and len(node.args) >= 2:
            self._check(node.args[1])
        if name == "write" and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if (
                isinstance(owner, ast.Attribute)
                and owner.attr in ("stdout", "stderr")
                and isinstance(owner.value, ast.Name)
                and owner.value.id == "self"
                and node.args
            ):
                self._check(node.args[0])
        for keyword in node.keywords:
            if keyword.arg == "subject" and name in DECLARATION_CALLS:
                continue  # declare(subject="user"): a field path, not an email's subject
            if keyword.arg in TEXT_KEYWORDS:
                self._check(keyword.value)
            elif name in DECLARATION_CALLS and keyword.arg in DECLARATION_KEYWORDS:
                self._check(keyword.value)
            elif keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                for value in keyword.value.values:
                    self._check(value)
            elif keyword.arg == "choices" and isinstance(keyword.value, (ast.List, ast.Tuple)):
                for element in keyword.value.elts:
                    if isinstance(element, ast.Tuple) and len(element.elts) == 2:
                        self._check(element.elts[1])
        self.generic_visit(node)


def python_findings(path: Path, relative: str) -> list[Finding]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    visitor = _PythonVisitor(relative)
    visitor.visit(tree)
    return visitor.findings


# --- The whole tree --------------------------------------------------------------------------


def _template_files():
    """The project's templates and every app's own ``templates`` folder."""
    bases = [PACKAGE / "templates", *sorted(PACKAGE.glob("*/templates"))]
    for base in bases:
        for path in sorted(base.rglob("*")):
            if path.suffix not in (".html", ".txt") or not path.is_file():
                continue
            relative = path.relative_to(base).as_posix()
            if relative in ALLOWED_FILES or relative.startswith(ALLOWED_FILE_PREFIXES):
                continue
            yield path, path.relative_to(ROOT).as_posix()


def _python_files():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative or "/tests/" in relative:
            continue
        yield path, relative


def all_findings(prefix: str = "") -> list[Finding]:
    findings: list[Finding] = []
    for path, relative in _template_files():
        if relative.startswith(prefix):
            findings.extend(template_findings(path, relative))
    for path, relative in _python_files():
        if relative.startswith(prefix):
            findings.extend(python_findings(path, relative))
    return findings


def main(argv: list[str]) -> int:
    import django

    sys.path.insert(0, str(ROOT))
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnward.settings")
    django.setup()
    prefix = argv[0] if argv else ""
    findings = all_findings(prefix)
    for finding in findings:
        print(finding)
    print(f"{len(findings)} unmarked", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
