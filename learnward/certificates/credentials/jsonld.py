"""JSON-LD processing over the contexts that ship with the package, never the network.

:func:`document_loader` maps each known context URL to its bundled file and refuses any other URL.
:func:`canonize` runs RDF Dataset Canonicalization (pyld's URDNA2015, which RDFC-1.0 standardised
without changing the output for these documents) in "safe mode": a property the contexts do not
define would be silently dropped from the signed data, so it is an error instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pyld import jsonld
from pyld.context_resolver import ContextResolver

from learnward.core.errors import ApplicationError

CONTEXT_DIR = Path(__file__).resolve().parent.parent / "jsonld"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DATA_INTEGRITY_V1 = "https://w3id.org/security/data-integrity/v1"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"

CONTEXT_FILES: dict[str, str] = {
    VC_V2: "www.w3.org_ns_credentials_v2.jsonld",
    OB_V3: "purl.imsglobal.org_spec_ob_v3p0_context_3.0.3.json",
    DID_V1: "www.w3.org_ns_did_v1.jsonld",
    MULTIKEY_V1: "w3id.org_security_multikey_v1.jsonld",
    DATA_INTEGRITY_V1: "w3id.org_security_data_integrity_v1.jsonld",
    DATA_INTEGRITY_V2: "w3id.org_security_data_integrity_v2.jsonld",
}


class JsonLdRefused(ApplicationError, ValueError):
    """A document needs something we will not do: fetch an unknown URL, drop a property."""


@cache
def _bundled(url: str) -> dict:
    return json.loads((CONTEXT_DIR / CONTEXT_FILES[url]).read_text(encoding="utf-8"))


def make_document_loader(
    extra: Mapping[str, dict] | None = None,
) -> Callable[[str, Any], dict]:
    """A pyld document loader over the bundled contexts (plus ``extra``, for tests)."""
    extra = dict(extra or {})

    def loader(url: str, options: Any = None) -> dict:
        if url in extra:
            document = extra[url]
        elif url in CONTEXT_FILES:
            document = _bundled(url)
        else:
            raise jsonld.JsonLdError(
                f"Refusing to load {url!r}: only the bundled contexts are allowed.",
                "jsonld.LoadDocumentError",
                {"url": url},
                code="loading document failed",
            )
        return {"contextUrl": None, "documentUrl": url, "document": document}

    # Resolved contexts are cached per loader, not in pyld's process-wide cache, so a context one
    # loader allowed (a test's example context) can never be served to another.
    # The URLs are a fixed handful, so a plain dict stays small.
    loader.resolved_contexts = {}  # type: ignore[attr-defined]
    return loader


document_loader = make_document_loader()


def _refuse_dropped(name: str | None) -> None:
    raise JsonLdRefused(f"The term {name!r} is not defined by the document's contexts.")


def canonize(document: dict, *, loader: Callable[[str, Any], dict] | None = None) -> str:
    """Canonical N-Quads of ``document`` (RDFC-1.0 / URDNA2015)."""
    loader = loader or document_loader
    processor = jsonld.JsonLdProcessor(on_property_dropped=_refuse_dropped)
    try:
        return processor.normalize(
            document,
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": loader,
                "contextResolver": ContextResolver(
                    getattr(loader, "resolved_contexts", {}), loader
                ),
            },
        )
    except jsonld.JsonLdError as exc:
        cause: BaseException | None = exc
        innermost: BaseException = exc
        while cause is not None:
            if isinstance(cause, JsonLdRefused):
                raise cause from exc
            innermost = cause
            cause = cause.__cause__
        message = innermost.args[0] if innermost.args else str(innermost)
        raise JsonLdRefused(f"The document cannot be canonicalised: {message}") from exc
