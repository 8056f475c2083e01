"""Split a lesson's Markdown into passages: paragraph-sized chunks of plain text under a heading.

Paragraphs under the same heading are merged until a passage has about TARGET_WORDS words; a
paragraph longer than MAX_WORDS is split at sentence ends. A heading always starts a new passage,
so a passage never mixes two sections of a lesson.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TARGET_WORDS = 120
MAX_WORDS = 250
# Bounds a passage's size whatever its words (its full-text vector must fit an 8 kB page on
# PostgreSQL; see migration 0002), and a "word" longer than this (a pasted URL or blob) is cut.
MAX_CHARS = 2000
MAX_WORD_CHARS = 60

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


@dataclass(frozen=True)
class Chunk:
    heading: str
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


def plain_text(markdown: str) -> str:
    """Markdown inline syntax removed: what a reader sees, as one line."""
    text = markdown
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)  # images -> alt text
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links -> link text
    text = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", text)  # reference links
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)  # autolinks
    text = re.sub(r"<[^>]+>", " ", text)  # raw HTML tags
    text = re.sub(r"(?m)^\s{0,3}>\s?", "", text)  # blockquotes
    text = re.sub(r"(?m)^\s*(?:[-*+]|\d+[.)])\s+", "", text)  # list markers
    text = re.sub(r"(?m)^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$", " ", text)  # table rules
    text = text.replace("|", " ")
    text = re.sub(r"(\*\*|__|\*|_|~~|`+)(?=\S)(.+?)(?<=\S)\1", r"\2", text)  # emphasis, code
    text = text.replace("`", "")
    return re.sub(r"\s+", " ", text).strip()


def _blocks(markdown: str) -> list[tuple[str, str]]:
    """(heading, paragraph markdown) for each paragraph, in order."""
    blocks: list[tuple[str, str]] = []
    heading = ""
    current: list[str] = []
    in_fence = False

    def flush() -> None:
        if current:
            blocks.append((heading, "\n".join(current)))
            current.clear()

    for line in markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            current.append(line)
            continue
        match = _HEADING.match(line)
        if match:
            flush()
            heading = plain_text(match.group(2))
            continue
        if not line.strip():
            flush()
            continue
        current.append(line)
    flush()
    return blocks


def _cap_words(text: str) -> str:
    return " ".join(
        word if len(word) <= MAX_WORD_CHARS else word[: MAX_WORD_CHARS - 1] + "\u2026"
        for word in text.split()
    )


def _fits(words: list[str]) -> bool:
    return len(words) <= MAX_WORDS and len(" ".join(words)) <= MAX_CHARS


def _split_long(text: str) -> list[str]:
    text = _cap_words(text)
    if _fits(text.split()):
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        words = sentence.split()
        # A single sentence too long for one passage is cut at word boundaries.
        while words and not _fits(words):
            if current:
                pieces.append(" ".join(current))
                current = []
            cut = 1
            while cut < len(words) and _fits(words[: cut + 1]):
                cut += 1
            pieces.append(" ".join(words[:cut]))
            words = words[cut:]
        if current and not _fits(current + words):
            pieces.append(" ".join(current))
            current = []
        current += words
    if current:
        pieces.append(" ".join(current))
    return pieces


def chunk_markdown(markdown: str) -> list[Chunk]:
    chunks: list[Chunk] = []
    heading: str | None = None
    parts: list[str] = []
    count = 0

    def flush() -> None:
        nonlocal parts, count
        if parts:
            chunks.append(Chunk(heading or "", " ".join(parts)))
        parts, count = [], 0

    for block_heading, block in _blocks(markdown):
        if block_heading != heading:
            flush()
            heading = block_heading
        text = plain_text(block)
        if not text:
            continue
        for piece in _split_long(text):
            words = len(piece.split())
            if parts and not _fits(" ".join(parts + [piece]).split()):
                flush()
            parts.append(piece)
            count += words
            if count >= TARGET_WORDS:
                flush()
    flush()
    return chunks
