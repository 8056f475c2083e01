"""The achievement's image: every credential names a public SVG badge drawn from the certificate's
design; it is an image, inert (no script, no event attributes, nothing fetched) and shows the
course, never the holder."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from learnward.certificates.credentials.openbadges import signed_credential
from learnward.certificates.services import certificate_revoke

SVG = "{http://www.w3.org/2000/svg}"
# Elements that run, embed or fetch something; none belongs in a badge.
ACTIVE_ELEMENTS = {
    "script",
    "foreignObject",
    "iframe",
    "a",
    "use",
    "image",
    "animate",
    "set",
    "style",
    "handler",
    "listener",
}


def _image_path(credential: dict) -> str:
    image = credential["credentialSubject"]["achievement"]["image"]
    assert set(image) <= {"id", "type", "caption"} and image["type"] == "Image"
    url = urlsplit(image["id"])
    assert (url.scheme, url.netloc) == ("http", "127.0.0.1:8000")
    return url.path


def _assert_inert(svg: bytes) -> ET.Element:
    text = svg.decode("utf-8").lower()
    assert "<!doctype" not in text and "<!entity" not in text  # nothing for a parser to expand
    root = ET.fromstring(svg)  # noqa: S314 - our own response, checked above for DTDs
    assert root.tag == f"{SVG}svg"
    for element in root.iter():
        name = element.tag.split("}")[-1]
        assert name not in ACTIVE_ELEMENTS, name
        for attribute, value in element.attrib.items():
            local = attribute.split("}")[-1].lower()
            assert not local.startswith("on"), attribute
            assert local not in {"href", "style", "src"}, attribute
            assert "javascript:" not in value.lower() and "url(" not in value.lower()
    assert "<script" not in text and "javascript:" not in text
    return root


def _texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter() if element.tag.split("}")[-1] == "text"]


def test_every_credential_names_its_badge_and_the_badge_is_an_inert_svg(client, certificate):
    credential = signed_credential(certificate)
    path = _image_path(credential)
    assert path == f"/credentials/badges/{certificate.display_code}.svg"
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Access-Control-Allow-Origin"] == "*"
    root = _assert_inert(response.content)
    texts = _texts(root)
    assert "Safeguarding Adults Level 2" in " ".join(texts)  # on one or more lines
    assert "3.5 CPD hours" in texts and "Learnward Training" in texts
    assert "Amira Okafor" not in response.content.decode()  # the holder is not on the badge


def test_the_badge_is_the_same_for_every_form_of_the_code_and_after_revocation(client, certificate):
    badge = client.get(f"/credentials/badges/{certificate.display_code}.svg").content
    typed = certificate.display_code.lower().replace("-", "")
    assert client.get(f"/credentials/badges/{typed}.svg").content == badge
    certificate_revoke(certificate=certificate, reason="Issued in error", actor=None)
    assert client.get(f"/credentials/badges/{certificate.display_code}.svg").content == badge


@pytest.mark.parametrize(
    "code",
    [
        "1000-0000-0000-2",  # well-formed with a matching check character, no such certificate
        "7KQ4-M2XD-9TRB-H",  # fails its check character
        "not-a-code",
    ],
)
def test_no_badge_without_a_certificate(client, db, code):
    response = client.get(f"/credentials/badges/{code}.svg")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "title",
    [
        '<script>alert(1)</script>" onload="alert(1)',
        "Fire & Safety <Level 2> ]]> <![CDATA[ x",
        "Bell\x07 and escape\x1b and \ufffe in a title",
        "Sécurité incendie: 消防安全 / السلامة من الحرائق",
        "A Very Long Course Title That Goes On " * 8,
    ],
)
def test_any_course_title_makes_a_well_formed_inert_badge(client, certificate, title):
    certificate.course_title = title[:300]
    certificate.save(update_fields=["course_title"])
    response = client.get(_image_path(signed_credential(certificate)))
    assert response.status_code == 200
    root = _assert_inert(response.content)
    shown = " ".join(_texts(root))
    cleaned = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", title[:300])
    assert " ".join(cleaned.split()) in " ".join(shown.split())  # all of it, on a few lines
    assert len(_texts(root)) <= 4 + 4  # provider, two heading lines, hours and at most 4 lines


def test_a_post_is_refused(client, certificate):
    assert client.post(f"/credentials/badges/{certificate.display_code}.svg").status_code == 405
