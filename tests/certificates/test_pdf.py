"""The PDF: A4 landscape, embedded fonts, renders, and its QR code decodes to the verification URL."""

import re
import subprocess
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image, ImageStat

from learnward.certificates.pdf import certificate_pdf_bytes, register_fonts


def _render(tmp_path, pdf: bytes, dpi: int = 110) -> Image.Image:
    source = tmp_path / "certificate.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(source), str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    return Image.open(tmp_path / "page.png").convert("L")


def test_pdf_is_a4_landscape_with_embedded_fonts(tmp_path, certificate):
    pdf = certificate_pdf_bytes(certificate=certificate)
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"Page size: +841\.89 x 595\.2\d* pts \(A4\)", info.stdout)
    assert "Pages:           1" in info.stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert len(rows) == 2
    for row in rows:
        assert "TrueType" in row
        assert row.split()[-5:-3] == ["yes", "yes"]  # embedded, subset


def test_pdf_renders_with_the_text_and_a_qr_code_of_the_verification_url(tmp_path, certificate):
    pdf = certificate_pdf_bytes(certificate=certificate)
    image = _render(tmp_path, pdf)
    assert image.size == (1287, 910)  # A4 landscape at 110 dpi
    stat = ImageStat.Stat(image)
    assert stat.stddev[0] > 20  # not blank
    dark = sum(image.histogram()[:128]) / (image.size[0] * image.size[1])
    assert 0.01 < dark < 0.5

    results = zxingcpp.read_barcodes(image)
    assert [r.format for r in results] == [zxingcpp.BarcodeFormat.QRCode]
    assert results[0].text == f"http://127.0.0.1:8000/verify/{certificate.display_code}/"

    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    for expected in [
        "Learnward Training",
        "Amira Okafor",
        "Safeguarding Adults Level 2",
        "3.5 CPD hours",
        certificate.display_code,
        f"http://127.0.0.1:8000/verify/{certificate.display_code}/",
        "Awarded on",
        "Expires on",
    ]:
        assert expected in text.stdout


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("Zoë Łukasiewicz-Øvergård", "Manual Handling"),
        ("A" * 150, "An Extremely Long Course Title " * 6),
    ],
)
def test_unusual_names_and_long_titles_still_render(tmp_path, certificate, name, title):
    certificate.holder_name, certificate.course_title = name, title
    certificate.cpd_hours = Decimal("12.00")
    pdf = certificate_pdf_bytes(certificate=certificate)
    image = _render(tmp_path, pdf)
    assert zxingcpp.read_barcodes(image)[0].text.endswith(f"/verify/{certificate.display_code}/")
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "12 CPD hours" in text
    assert name.split()[0][:20] in text


def test_fonts_are_registered_once(monkeypatch):
    from learnward.certificates import pdf as pdf_module

    register_fonts()
    calls = []
    monkeypatch.setattr(pdf_module.pdfmetrics, "registerFont", lambda *a: calls.append(a))
    register_fonts()
    assert calls == []


def test_holder_and_staff_download_the_pdf_and_nobody_else(client, certificate, make_user):
    url = f"/certificates/{certificate.display_code}/pdf/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login" in anonymous["Location"]

    client.force_login(certificate.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")

    client.force_login(make_user())
    assert client.get(url).status_code == 404
    client.force_login(make_user(is_staff=True))  # staff without the certificates permission
    assert client.get(url).status_code == 404

    client.force_login(make_user(roles=["Administrator"]))
    assert client.get(url).status_code == 200
    client.force_login(make_user(roles=["Data protection officer"]))
    assert client.get(url).status_code == 200


def test_holder_lists_and_opens_their_certificates(client, certificate, make_user):
    client.force_login(certificate.user)
    page = client.get("/certificates/").content.decode()
    assert certificate.display_code in page
    assert f"/certificates/{certificate.display_code}/pdf/" in page
    detail = client.get(f"/certificates/{certificate.display_code}/")
    assert detail.status_code == 200
    assert f"http://127.0.0.1:8000/verify/{certificate.display_code}/" in detail.content.decode()
    other = make_user()
    client.force_login(other)
    assert certificate.display_code not in client.get("/certificates/").content.decode()
    assert client.get(f"/certificates/{certificate.display_code}/").status_code == 404


def test_dashboard_panel_lists_only_the_learners_certificates(rf, certificate, make_user):
    from django.template import Context, Template

    template = Template("{% load certificates_tags %}{% your_certificates %}")
    request = rf.get("/dashboard/")
    request.user = certificate.user
    html = template.render(Context({"request": request}))
    assert f"/certificates/{certificate.display_code}/pdf/" in html
    request.user = make_user()
    html = template.render(Context({"request": request}))
    assert certificate.display_code not in html and "You get a certificate" in html
