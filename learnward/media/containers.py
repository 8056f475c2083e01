"""Just enough of the MP4 (ISO base media) and WebM (Matroska/EBML) containers to recognise a
video by its signature and read its duration, without decoding anything or running a tool.

Both readers take a binary file object and seek over the media data, so a large upload is never
read into memory. Anything that does not parse is :class:`ContainerError`.
"""

from __future__ import annotations

import struct
from decimal import ROUND_HALF_UP, Decimal
from typing import BinaryIO

from learnward.core.errors import ApplicationError

# ftyp major or compatible brands of ordinary MP4 video (not QuickTime "qt  ", not audio-only M4A).
MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso3",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"dash",
    b"M4V ",
    b"mmp4",
    b"MSNV",
}


class ContainerError(ApplicationError, ValueError):
    """The bytes are not the container they claim to be (the message is for logs only)."""


def _seconds(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def sniff(head: bytes) -> str | None:
    """ "mp4", "webm" or None, from the first bytes of a file."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    return None


# --- MP4 ------------------------------------------------------------------------------------------


def _mp4_boxes(f: BinaryIO, start: int, end: int | None):
    """(type, payload start, payload end) for each box between ``start`` and ``end``."""
    pos = start
    while end is None or pos + 8 <= end:
        f.seek(pos)
        header = f.read(8)
        if len(header) < 8:
            if end is None and not header:
                return
            raise ContainerError("truncated box header")
        size, kind = struct.unpack(">I4s", header)
        payload = pos + 8
        if size == 1:
            large = f.read(8)
            if len(large) < 8:
                raise ContainerError("truncated box size")
            size = struct.unpack(">Q", large)[0]
            payload += 8
        elif size == 0:  # to the end of the file
            f.seek(0, 2)
            size = f.tell() - pos
        if size < payload - pos:
            raise ContainerError("box smaller than its header")
        box_end = pos + size
        if end is not None and box_end > end:
            raise ContainerError("box runs past its parent")
        yield kind, payload, box_end
        pos = box_end


def mp4_duration(f: BinaryIO) -> Decimal:
    """The movie's duration in seconds, from ``moov/mvhd``; the file must start with ``ftyp``
    naming an MP4 video brand."""
    f.seek(0, 2)
    boxes = _mp4_boxes(f, 0, f.tell())  # a box running past the end: a truncated upload
    first = next(boxes, None)
    if first is None or first[0] != b"ftyp":
        raise ContainerError("not an MP4 file: no ftyp box first")
    kind, start, end = first
    f.seek(start)
    ftyp = f.read(min(end - start, 256))
    brands = {ftyp[:4]} | {ftyp[i : i + 4] for i in range(8, len(ftyp) - 3, 4)}
    if not brands & MP4_BRANDS:
        raise ContainerError("not an MP4 video brand")
    for kind, start, end in boxes:
        if kind != b"moov":
            continue
        for child, cstart, cend in _mp4_boxes(f, start, end):
            if child != b"mvhd":
                continue
            f.seek(cstart)
            data = f.read(min(cend - cstart, 120))
            if len(data) < 20:
                raise ContainerError("truncated mvhd")
            if data[0] == 1:
                if len(data) < 32:
                    raise ContainerError("truncated mvhd")
                timescale, duration = struct.unpack(">IQ", data[20:32])
            else:
                timescale, duration = struct.unpack(">II", data[12:20])
            if not timescale:
                raise ContainerError("mvhd has no timescale")
            return _seconds(duration / timescale)
        raise ContainerError("moov has no mvhd")
    raise ContainerError("no moov box")


# --- WebM -----------------------------------------------------------------------------------------

EBML = 0x1A45DFA3
DOCTYPE = 0x4282
SEGMENT = 0x18538067
INFO = 0x1549A966
TIMECODE_SCALE = 0x2AD7B1
DURATION = 0x4489
CLUSTER = 0x1F43B675
CLUSTER_TIMECODE = 0xE7
SIMPLE_BLOCK = 0xA3
BLOCK_GROUP = 0xA0
BLOCK = 0xA1
# Master elements the scan steps into rather than over (their size may be "unknown" when a
# browser recorded the file as a stream).
_DESCEND = {SEGMENT, INFO, CLUSTER, BLOCK_GROUP}


def _vint(f: BinaryIO, *, keep_marker: bool) -> tuple[int, int, bool]:
    """(value, length, all value bits set) of an EBML variable-size integer."""
    first = f.read(1)
    if not first:
        raise EOFError
    byte = first[0]
    length = 1
    mask = 0x80
    while length <= 8 and not byte & mask:
        mask >>= 1
        length += 1
    if length > 8:
        raise ContainerError("bad EBML integer")
    rest = f.read(length - 1)
    if len(rest) < length - 1:
        raise ContainerError("truncated EBML integer")
    value = byte if keep_marker else byte & (mask - 1)
    for b in rest:
        value = (value << 8) | b
    unknown = not keep_marker and value == (1 << (7 * length)) - 1
    return value, length, unknown


def _uint(data: bytes) -> int:
    return int.from_bytes(data, "big") if data else 0


def webm_duration(f: BinaryIO) -> Decimal:
    """The duration in seconds: ``Segment/Info/Duration`` when the file has it, otherwise the
    last block's time (files recorded as a stream, by a browser's MediaRecorder, have none)."""
    f.seek(0)
    try:
        element, _, _ = _vint(f, keep_marker=True)
    except EOFError as exc:
        raise ContainerError("empty file") from exc
    if element != EBML:
        raise ContainerError("not an EBML file")
    size, _, _ = _vint(f, keep_marker=False)
    header_end = f.tell() + size
    doctype = b""
    while f.tell() < header_end:
        child, _, _ = _vint(f, keep_marker=True)
        child_size, _, _ = _vint(f, keep_marker=False)
        data = f.read(child_size)
        if child == DOCTYPE:
            doctype = data.rstrip(b"\x00")
    if doctype != b"webm":
        raise ContainerError("not a WebM file")
    f.seek(header_end)
    scale = 1_000_000
    cluster_time = 0
    last = None
    segment_seen = False
    while True:
        try:
            element, _, _ = _vint(f, keep_marker=True)
        except EOFError:
            break
        size, _, unknown = _vint(f, keep_marker=False)
        if element == SEGMENT:
            segment_seen = True
        if element in _DESCEND:
            continue
        if unknown:
            raise ContainerError("unknown size on a non-master element")
        if element == TIMECODE_SCALE:
            scale = _uint(f.read(size)) or scale
        elif element == DURATION:
            data = f.read(size)
            if size == 4:
                value = struct.unpack(">f", data)[0]
            elif size == 8:
                value = struct.unpack(">d", data)[0]
            else:
                raise ContainerError("bad duration")
            if value > 0:
                return _seconds(value * scale / 1e9)
        elif element == CLUSTER_TIMECODE:
            cluster_time = _uint(f.read(size))
        elif element in (SIMPLE_BLOCK, BLOCK):
            end = f.tell() + size
            _vint(f, keep_marker=False)  # the track number
            relative = struct.unpack(">h", f.read(2))[0]
            time = cluster_time + relative
            last = time if last is None else max(last, time)
            f.seek(end)
        else:
            f.seek(size, 1)
    if not segment_seen:
        raise ContainerError("no segment")
    if last is None:
        raise ContainerError("no duration and no blocks")
    return _seconds(last * scale / 1e9)


def video_duration(f: BinaryIO, kind: str) -> Decimal:
    f.seek(0)
    try:
        return mp4_duration(f) if kind == "mp4" else webm_duration(f)
    except (struct.error, EOFError) as exc:
        raise ContainerError("truncated file") from exc
