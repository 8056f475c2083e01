"""Provider branding: the contrast rule, the cache, /brand.css, uploads checked by content, and who
may edit it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from learnward.accounts.roles import ADMINISTRATOR, DPO
from learnward.core.branding import (
    BrandingError,
    check_colour,
    contrast_ratio,
    current_branding,
    format_ratio,
    save_branding,
)
from learnward.core.models import Branding

URL = "/staff/branding/"


def png(size=(300, 100), colour=(29, 79, 145, 255), fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGBA" if fmt == "PNG" else "RGB", size, colour[: 4 if fmt == "PNG" else 3]).save(
        out, format=fmt
    )
    return out.getvalue()


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>'
)
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


# --- the contrast rule ----------------------------------------------------------------------------


def test_contrast_known_answers():
    assert format_ratio(contrast_ratio("#767676")) == "4.54:1"
    assert format_ratio(contrast_ratio("#777777")) == "4.47:1"  # 4.478..., rounded down
    assert format_ratio(contrast_ratio("#000000")) == "21.00:1"
    assert format_ratio(contrast_ratio("#ffffff")) == "1.00:1"


def test_a_colour_at_aa_passes_and_one_just_below_is_refused_with_its_ratio():
    assert check_colour("#767676", label="primary colour") == "#767676"
    with pytest.raises(BrandingError) as refused:
        check_colour("#777777", label="primary colour")
    assert "4.47:1" in refused.value.message and "4.5:1" in refused.value.message
    assert "primary colour #777777" in refused.value.message


@pytest.mark.parametrize("value", ["1d4f91", "#1d4f9", "#1d4f91x", "blue", "#GGGGGG", ""])
def test_a_colour_not_written_as_six_hex_digits_is_refused(value):
    with pytest.raises(BrandingError, match="six hexadecimal digits"):
        check_colour(value, label="primary colour")


def test_upper_case_colours_are_stored_in_lower_case(db):
    save_branding(primary_colour="#1D4F91")
    assert Branding.objects.get().primary_colour == "#1d4f91"


# --- the brand and its cache ----------------------------------------------------------------------


def test_defaults_come_from_settings_until_the_page_sets_a_value(db, settings):
    settings.PROVIDER_NAME = "Acme Training"
    settings.BRAND_PRIMARY_COLOUR = "#0b5394"
    brand = current_branding()
    assert brand.legal_name == "Acme Training"
    assert brand.primary_colour == "#0b5394"
    assert brand.logo_url is None and brand.logo_bytes() is None
    assert brand.signature_bytes() is None


def test_saving_clears_the_cache_and_brand_css_follows(client, db):
    before = current_branding()
    css = client.get("/brand.css").content.decode()
    assert f"--colour-primary: {before.primary_colour};" in css

    save_branding(primary_colour="#7a1f5c", legal_name="Acme Training Ltd")

    after = current_branding()
    assert after.primary_colour == "#7a1f5c" and after.legal_name == "Acme Training Ltd"
    assert after.version != before.version
    response = client.get(f"/brand.css?v={after.version}")
    assert response["Content-Type"].startswith("text/css")
    assert "--colour-primary: #7a1f5c;" in response.content.decode()
    assert "immutable" in response["Cache-Control"]
    page = client.get("/").content.decode()
    assert f'href="/brand.css?v={after.version}"' in page
    assert "Acme Training Ltd" in page  # the footer's legal name


def test_brand_css_answers_not_modified_to_a_matching_etag(client, db):
    version = current_branding().version
    response = client.get("/brand.css", HTTP_IF_NONE_MATCH=f'"{version}"')
    assert response.status_code == 304


def test_a_refused_colour_stores_nothing(db):
    with pytest.raises(BrandingError):
        save_branding(primary_colour="#1d4f91", accent_colour="#aaaaaa")
    assert not Branding.objects.exists()


# --- images ---------------------------------------------------------------------------------------


def test_a_logo_is_re_encoded_as_png_and_served_in_the_header(client, db):
    save_branding(logo=png(fmt="JPEG", size=(2400, 600)))
    brand = current_branding()
    stored = brand.logo_bytes()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "PNG" and image.size == (1200, 300)  # fitted inside 1200 x 400
    page = client.get("/").content.decode()
    assert f'src="{brand.logo_url}"' in page
    response = client.get(brand.logo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content == stored


@pytest.mark.parametrize("content", [SVG, HTML, b"GIF89a not really", b""])
def test_an_svg_html_or_broken_upload_is_refused_and_nothing_is_stored(db, content):
    with pytest.raises(BrandingError) as refused:
        save_branding(logo=content)
    assert "image" in refused.value.message or "empty" in refused.value.message
    assert not Branding.objects.exists()


def test_removing_the_logo(client, db):
    save_branding(logo=png())
    assert current_branding().logo_url
    save_branding(logo=None)
    assert current_branding().logo_url is None
    assert client.get("/brand/logo.png").status_code == 404


# --- the Branding page ----------------------------------------------------------------------------


@pytest.fixture
def administrator(make_user):
    return make_user(email="admin@example.test", roles=[ADMINISTRATOR])


def test_the_administrator_edits_branding_with_a_logo_and_signature(client, administrator):
    client.force_login(administrator)
    assert client.get(URL).status_code == 200
    response = client.post(
        URL,
        {
            "legal_name": "Acme Training Ltd",
            "website": "https://acme.example",
            "primary_colour": "#0B5394",
            "accent_colour": "",
            "signatory_name": "Priya Shah",
            "signatory_title": "Director of Training",
            "logo": SimpleUploadedFile("logo.png", png(), content_type="image/png"),
            "signature": SimpleUploadedFile("sig.jpg", png(fmt="JPEG"), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    brand = current_branding()
    assert brand.primary_colour == "#0b5394"
    assert brand.signatory_name == "Priya Shah" and brand.signatory_title == "Director of Training"
    assert Image.open(io.BytesIO(brand.signature_bytes())).format == "PNG"
    assert client.get("/staff/branding/signature.png").status_code == 200


def test_the_page_refuses_a_low_contrast_colour_with_the_measured_ratio(client, administrator):
    client.force_login(administrator)
    response = client.post(URL, {"primary_colour": "#777777"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "4.47:1" in html and "4.5:1" in html
    assert not Branding.objects.exists()


def test_the_page_refuses_an_svg_logo_and_stores_nothing(client, administrator):
    client.force_login(administrator)
    response = client.post(
        URL,
        {
            "primary_colour": "#0b5394",
            "logo": SimpleUploadedFile("logo.svg", SVG, content_type="image/svg+xml"),
        },
    )
    assert response.status_code == 200
    assert "SVG is not accepted" in response.content.decode()
    assert not Branding.objects.exists()


def test_a_learner_cannot_see_or_change_branding(client, make_user):
    client.force_login(make_user())
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"primary_colour": "#000000"}).status_code == 404
    assert client.get("/staff/branding/signature.png").status_code == 404
    assert not Branding.objects.exists()


def test_a_dpo_without_the_branding_permission_cannot_change_it(client, make_user):
    client.force_login(make_user(roles=[DPO]))
    assert client.get(URL).status_code == 404


def test_signed_out_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_html_emails_carry_the_logo_and_legal_name(db, make_user, settings):
    from learnward.core.mail import build_email

    save_branding(logo=png(), legal_name="Acme Training Ltd")
    brand = current_branding()
    message = build_email(
        to="ann@example.test",
        subject="Your account",
        template="privacy/email/retention_warning",
        context={"user": make_user(), "days": 30},
    )
    html = message.alternatives[0][0]
    assert f'src="{settings.BASE_URL}{brand.logo_url}"' in html
    assert "Acme Training Ltd" in html
