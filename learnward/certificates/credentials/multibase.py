"""Multibase (base58btc ``z`` and base64url ``u``) and the Ed25519 Multikey header."""

from __future__ import annotations

import base64

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {ch: i for i, ch in enumerate(_B58)}

ED25519_PUB_HEADER = b"\xed\x01"  # multicodec ed25519-pub, varint-encoded
ED25519_PRIV_HEADER = b"\x80\x26"  # multicodec ed25519-priv (0x1300), varint-encoded


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rem = divmod(number, 58)
        out.append(_B58[rem])
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    number = 0
    for ch in text:
        if ch not in _B58_INDEX:
            raise ValueError("not base58btc")
        number = number * 58 + _B58_INDEX[ch]
    leading_zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * leading_zeros + body


def encode_z(data: bytes) -> str:
    return "z" + b58encode(data)


def decode_z(text: str) -> bytes:
    if not text.startswith("z"):
        raise ValueError("expected a base58btc multibase value (starting with z)")
    return b58decode(text[1:])


def encode_u(data: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_u(text: str) -> bytes:
    if not text.startswith("u"):
        raise ValueError("expected a base64url multibase value (starting with u)")
    body = text[1:]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def multikey_from_public(raw: bytes) -> str:
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return encode_z(ED25519_PUB_HEADER + raw)


def public_from_multikey(text: str) -> bytes:
    data = decode_z(text)
    if not data.startswith(ED25519_PUB_HEADER) or len(data) != 34:
        raise ValueError("not an Ed25519 Multikey (expected the 0xed01 header and 32 bytes)")
    return data[2:]
