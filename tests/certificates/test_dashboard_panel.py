"""The learner downloads certificates from their dashboard; nobody else's appear there."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_the_learners_certificates_with_a_pdf_link(
    certificate, client, make_user
):
    client.force_login(certificate.user)
    page = client.get("/dashboard/").content.decode()
    assert "Your certificates" in page
    assert certificate.course_title in page
    pdf_link = f"/certificates/{certificate.display_code}/pdf/"
    assert pdf_link in page
    response = client.get(pdf_link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"

    other = make_user()
    client.force_login(other)
    page = client.get("/dashboard/").content.decode()
    assert certificate.display_code not in page and pdf_link not in page
    assert client.get(pdf_link).status_code == 404
