"""The certificates' PDFs and signed credentials for the export archive.

Registered with :func:`learnward.privacy.export.register_attachments` through the certificates
app's public selectors only. The certificates app may take this provider over (register its own
and drop this module); one provider for certificates must stay registered.
"""

from __future__ import annotations

import json
from importlib.util import find_spec

from learnward.privacy.export import register_attachments


def certificate_attachments(user):
    if find_spec("learnward.certificates.selectors") is None:
        return
    from learnward.certificates import selectors

    meta = {"purposes": ["certification"], "categories": ["Certificates awarded", "Name"]}
    for certificate in selectors.certificates_for_user(actor=user, user=user).iterator():
        stem = f"certificates/{certificate.code}"
        yield f"{stem}.pdf", selectors.certificate_pdf_bytes(certificate=certificate), meta
        credential = selectors.certificate_credential(certificate=certificate)
        yield (
            f"{stem}.credential.json",
            json.dumps(credential, indent=2, ensure_ascii=False).encode(),
            meta,
        )


register_attachments(certificate_attachments)
