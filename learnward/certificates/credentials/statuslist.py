"""Revocation published as a BitstringStatusListCredential (W3C Bitstring Status List v1.0).

Each list is 131,072 bits (16 KiB before compression), the spec's minimum, so that fetching the
list says nothing about which credential a verifier is checking. Bit ``i`` (counting from the
left-most bit of the first byte) is 1 when the certificate at index ``i`` is revoked. The list is
GZIP-compressed and written as base64url multibase (``u...``). The list credential is signed with
the issuer's key like the badges themselves, and cached until a revocation changes it.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from learnward.core.links import absolute_url

from ..models import Certificate
from ..services import STATUS_LIST_SIZE
from . import dataintegrity
from .jsonld import VC_V2
from .keys import issuer
from .multibase import decode_u, encode_u

STATUS_PURPOSE = "revocation"


def list_url(number: int) -> str:
    """The list's address, without a language prefix: it is signed into credentials, so it is
    the same whichever language the request or job that builds it is in."""
    with translation.override(settings.LANGUAGE_CODE):
        return absolute_url(reverse("certificates:status_list", args=[number]))


def encode_bits(indices: Iterable[int], size: int = STATUS_LIST_SIZE) -> str:
    bits = bytearray(size // 8)
    for index in indices:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} is outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0 keeps the encoding (and so the signed list) identical for identical contents.
    return encode_u(gzip.compress(bytes(bits), mtime=0))


def bit_is_set(encoded_list: str, index: int) -> bool:
    bits = gzip.decompress(decode_u(encoded_list))
    if len(bits) * 8 < STATUS_LIST_SIZE:
        raise ValueError("the status list is shorter than 131,072 entries")
    if not 0 <= index < len(bits) * 8:
        raise ValueError("the status index is outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def entry_for(certificate: Certificate) -> dict:
    url = list_url(certificate.status_list)
    return {
        "id": f"{url}#{certificate.status_list_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": STATUS_PURPOSE,
        "statusListIndex": str(certificate.status_list_index),
        "statusListCredential": url,
    }


def list_exists(number: int) -> bool:
    return number == 1 or Certificate.objects.filter(status_list=number).exists()


def status_list_credential(number: int) -> dict:
    """The signed list credential for list ``number``; re-signed only when its contents change."""
    revoked = sorted(
        Certificate.objects.filter(status_list=number, revoked_on__isnull=False).values_list(
            "status_list_index", flat=True
        )
    )
    encoded = encode_bits(revoked)
    current = issuer()
    fingerprint = hashlib.sha256(
        f"{number}|{current.verification_method}|{list_url(number)}|{encoded}".encode()
    ).hexdigest()
    # "v2": lists cached before ``proof`` became an array are not served again.
    key = f"certificates:status-list:v2:{fingerprint}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    url = list_url(number)
    now = timezone.now()
    document = {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": current.did,
        "validFrom": dataintegrity.xsd_datetime(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": encoded,
        },
    }
    signed = dataintegrity.add_proof(
        document,
        private_key=current.private_key,
        verification_method=current.verification_method,
        created=now,
    )
    cache.set(key, signed, timeout=24 * 3600)
    return signed
