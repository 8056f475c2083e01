"""The organisation pages: every manager page is a 404 for a manager of another organisation
and for a member who does not manage; the invitation's page; the member's own page; staff's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnward.organisations import csv_import
from learnward.organisations.models import Invitation, Membership, RequiredCourse

from .factories import join, make_organisation, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org, manager, pool, course, make_user, client):
    member = make_user(email="sam@example.test", display_name="Sam Member")
    membership = join(org, member, department="Night")
    invitation = Invitation.objects.create(
        organisation=org,
        email="waiting@example.test",
        pool=pool,
        token_hash="a" * 64,
        created_at=pool.created_at,
        expires_at=pool.created_at.replace(year=pool.created_at.year + 1),
    )
    requirement = RequiredCourse.objects.create(organisation=org, course=course)
    client.force_login(manager)
    upload_id = _upload(client, org, b"email,name\nnew@example.test,New Person\n")
    client.logout()
    return {
        "org": org,
        "member": member,
        "membership": membership,
        "invitation": invitation,
        "requirement": requirement,
        "upload_id": upload_id,
    }


def _upload(client, org, data: bytes) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("organisations:upload", args=[org.slug]),
        {"file": SimpleUploadedFile("people.csv", data, content_type="text/csv")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url.rstrip("/").rsplit("/", 1)[1]


def _manager_urls(w) -> list[tuple[str, str]]:
    slug = w["org"].slug
    return [
        ("get", reverse("organisations:home", args=[slug])),
        ("get", reverse("organisations:invite", args=[slug])),
        ("post", reverse("organisations:invite", args=[slug])),
        ("get", reverse("organisations:upload", args=[slug])),
        ("get", reverse("organisations:upload_preview", args=[slug, w["upload_id"]])),
        ("post", reverse("organisations:upload_preview", args=[slug, w["upload_id"]])),
        ("get", reverse("organisations:upload_preview_csv", args=[slug, w["upload_id"]])),
        (
            "post",
            reverse("organisations:invitation_withdraw", args=[slug, w["invitation"].pk]),
        ),
        ("get", reverse("organisations:member_remove", args=[slug, w["membership"].pk])),
        ("post", reverse("organisations:member_remove", args=[slug, w["membership"].pk])),
        ("post", reverse("organisations:required_add", args=[slug])),
        ("post", reverse("organisations:required_change", args=[slug, w["requirement"].pk])),
        ("post", reverse("organisations:required_remove", args=[slug, w["requirement"].pk])),
    ]


def test_a_manager_of_another_organisation_gets_404_everywhere(world, make_user, client):
    other = make_user()
    join(make_organisation(), other, role="manager")
    client.force_login(other)
    for method, url in _manager_urls(world):
        assert getattr(client, method)(url).status_code == 404, (method, url)
    assert Invitation.objects.get(pk=world["invitation"].pk).status == "pending"
    assert Membership.objects.get(pk=world["membership"].pk).left_at is None
    assert RequiredCourse.objects.filter(pk=world["requirement"].pk).exists()


def test_a_member_who_does_not_manage_gets_404_everywhere(world, client):
    client.force_login(world["member"])
    for method, url in _manager_urls(world):
        assert getattr(client, method)(url).status_code == 404, (method, url)


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    for method, url in _manager_urls(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url


def test_the_manager_sees_their_organisation(world, manager, client):
    client.force_login(manager)
    page = client.get(reverse("organisations:home", args=[world["org"].slug])).content.decode()
    for text in (
        "Sam Member",
        "sam@example.test",
        "Night",
        "waiting@example.test",
        "Manual handling",
    ):
        assert text in page
    assert 'class="table-scroll" role="region"' in page


def test_inviting_one_person_from_the_page(world, manager, client, mailoutbox):
    client.force_login(manager)
    url = reverse("organisations:invite", args=[world["org"].slug])
    response = client.post(url, {"email": "bad", "name": "", "department": "", "pool": ""})
    assert response.status_code == 400 and "right format" in response.content.decode()
    response = client.post(
        url, {"email": "new@example.test", "name": "New Person", "department": "", "pool": ""}
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(email="new@example.test", pool=None).exists()


def test_an_upload_is_previewed_then_sent(world, manager, client):
    client.force_login(manager)
    slug = world["org"].slug
    upload_id = _upload(
        client, world["org"], b"email,name\n=1+1,=HYPERLINK(1)\nnew@example.test,New\n"
    )
    preview = client.get(reverse("organisations:upload_preview", args=[slug, upload_id]))
    page = preview.content.decode()
    assert "Send 1 invitation" in page and "Not invited" in page
    assert not Invitation.objects.filter(email="new@example.test").exists()
    csv_text = client.get(
        reverse("organisations:upload_preview_csv", args=[slug, upload_id])
    ).content.decode()
    assert "'=HYPERLINK(1)" in csv_text and "'=1+1" in csv_text
    response = client.post(
        reverse("organisations:upload_preview", args=[slug, upload_id]),
        {"email": ["new@example.test"]},
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(email="new@example.test").exists()
    # Sent once: the upload is forgotten.
    again = client.get(reverse("organisations:upload_preview", args=[slug, upload_id]))
    assert again.status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfeemail,name\n", "not UTF-8"),
        (b"email\nx@example.test\n", "Missing: name"),
        (b"email,name\n" + b"a@example.test,x\n" * 70000, "1 MB"),
    ],
)
def test_bad_uploads_are_refused_on_the_page(world, manager, client, data, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(manager)
    response = client.post(
        reverse("organisations:upload", args=[world["org"].slug]),
        {"file": SimpleUploadedFile("people.csv", data, content_type="text/csv")},
    )
    assert response.status_code == 400 and message in response.content.decode()


def test_an_upload_belongs_to_its_session_and_organisation(world, manager, client, make_user):
    client.force_login(manager)
    other_org = make_organisation()
    join(other_org, manager, role="manager")
    url = reverse("organisations:upload_preview", args=[other_org.slug, world["upload_id"]])
    assert client.get(url).status_code == 404
    assert (
        csv_import.upload_load(
            client.session, upload_id=world["upload_id"], organisation_id=other_org.pk
        )
        is None
    )


# --- the invitation -----------------------------------------------------------------------------


def _invite(manager, org, email, pool=None):
    from learnward.organisations import services

    token_holder = {}
    original = services._create_invitation

    def capture(**kwargs):
        invitation, token = original(**kwargs)
        token_holder["token"] = token
        return invitation, token

    services._create_invitation = capture
    try:
        services.member_invite(actor=manager, organisation=org, email=email, pool=pool)
    finally:
        services._create_invitation = original
    return token_holder["token"]


def test_the_invitation_page_leads_to_sign_up_with_the_address_filled_in(
    world, manager, client, pool
):
    token = _invite(manager, world["org"], "ann@example.test", pool)
    url = reverse("organisations:invitation", args=[token])
    page = client.get(url).content.decode()
    assert "Join Harbourside Care Ltd" in page and "Manual handling" in page
    response = client.get(reverse("organisations:invitation_signup", args=[token]))
    assert response.status_code == 302 and response.url == reverse("accounts:signup")
    assert "ann" not in response.url
    signup = client.get(response.url).content.decode()
    assert 'value="ann@example.test"' in signup
    done = client.get(reverse("accounts:signup_done")).content.decode()
    assert f"?next={url}" in done.replace("%2F", "/")


def test_accepting_on_the_page(world, manager, client, make_user, pool, course):
    token = _invite(manager, world["org"], "ann@example.test", pool)
    url = reverse("organisations:invitation", args=[token])
    assert client.post(url).status_code == 302  # to sign in
    client.force_login(make_user(email="bob@example.test"))
    assert "another address" in client.get(url).content.decode()
    assert client.post(url).status_code == 400
    client.force_login(make_user(email="ann@example.test"))
    response = client.post(url)
    assert response.status_code == 302 and response.url == course.get_absolute_url()
    assert client.get(url).status_code == 404  # used


def test_an_unknown_link_is_a_404(client):
    assert client.get(reverse("organisations:invitation", args=["nope"])).status_code == 404
    assert client.get(reverse("organisations:invitation_signup", args=["nope"])).status_code == 404


# --- the member's own ----------------------------------------------------------------------------


def test_members_see_leave_and_choose_what_is_shared(world, client, make_user):
    member, membership = world["member"], world["membership"]
    client.force_login(member)
    page = client.get(reverse("organisations:mine")).content.decode()
    assert "Harbourside Care Ltd" in page and "Only the courses the organisation requires" in page
    assert 'href="/organisations/"' in client.get("/").content.decode()  # the nav link
    client.post(
        reverse("organisations:sharing", args=[membership.pk]),
        {f"sharing-{membership.pk}-sharing": "all"},
    )
    assert Membership.objects.get(pk=membership.pk).shares_all_courses
    stranger = make_user()
    client.force_login(stranger)
    assert client.get(reverse("organisations:leave", args=[membership.pk])).status_code == 404
    assert client.post(reverse("organisations:leave", args=[membership.pk])).status_code == 404
    client.force_login(member)
    assert client.get(reverse("organisations:leave", args=[membership.pk])).status_code == 200
    client.post(reverse("organisations:leave", args=[membership.pk]))
    assert Membership.objects.get(pk=membership.pk).left_at is not None
    assert client.get(reverse("organisations:leave", args=[membership.pk])).status_code == 404


def test_my_data_shows_what_the_employer_sees(world, client):
    client.force_login(world["member"])
    page = client.get(reverse("rights:my_data")).content.decode()
    assert "What your employer sees" in page and "Harbourside Care Ltd" in page
    assert "Night" in page and "Only the courses the organisation requires" in page


def test_my_data_shows_the_matrix_row_managers_see(world, client, manager):
    """The learner's row on My data is the manager's row on the matrix, by the same code."""
    from django.template.loader import render_to_string

    from learnward.organisations import matrix

    rows = matrix.member_rows_for_user(user=world["member"])
    assert [organisation for organisation, _ in rows] == [world["org"]]
    rendered = render_to_string("organisations/_matrix_row.html", {"row": rows[0][1]}).strip()
    assert "Sam Member" in rendered and "Not started" in rendered
    client.force_login(world["member"])
    assert rendered in client.get(reverse("rights:my_data")).content.decode()
    client.force_login(manager)
    matrix_page = client.get(reverse("organisations:matrix", args=[world["org"].slug]))
    assert rendered in matrix_page.content.decode()


# --- staff --------------------------------------------------------------------------------------


def test_staff_pages_are_for_staff_who_manage_organisations(world, make_user, client, manager):
    urls = [
        ("get", reverse("organisations_staff:organisations")),
        ("get", reverse("organisations_staff:organisation", args=[world["org"].slug])),
        ("post", reverse("organisations_staff:domain_add", args=[world["org"].slug])),
        ("post", reverse("organisations_staff:pool_create", args=[world["org"].slug])),
        ("post", reverse("organisations_staff:manager_invite", args=[world["org"].slug])),
        ("post", reverse("organisations_staff:enrol", args=[world["org"].slug])),
    ]
    client.force_login(manager)
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, url
    staff = make_staff(make_user)
    client.force_login(staff)
    response = client.post(reverse("organisations_staff:organisations"), {"name": "Quay Homes"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Quay Homes" in page and "Add the seats" in page
    response = client.post(
        reverse("organisations_staff:domain_add", args=[world["org"].slug]),
        {"domain-domain": "not a domain"},
    )
    assert response.status_code == 400 and "Enter a domain like" in response.content.decode()


def test_an_objection_hides_the_members_training_from_managers(world, client, manager):
    from learnward.privacy.rights.services import objection_record

    client.force_login(manager)
    matrix_url = reverse("organisations:matrix", args=[world["org"].slug])
    assert "Sam Member" in client.get(matrix_url).content.decode()
    objection_record(
        user=world["member"],
        purpose="employer_training_records",
        actor=world["member"],
        reason="I do not want my manager to see my training.",
    )
    page = client.get(matrix_url).content.decode()
    assert "Sam Member" not in page
    csv = client.get(reverse("organisations:matrix_csv", args=[world["org"].slug]))
    assert "Sam Member" not in csv.content.decode()
    client.force_login(world["member"])
    mine = client.get(reverse("rights:my_data")).content.decode()
    assert "its managers see none of it" in mine


def test_a_manager_turns_the_weekly_digest_on_and_off_for_themselves_only(world, client, manager):
    from learnward.organisations.models import Membership

    own = Membership.objects.get(user=manager, organisation=world["org"])
    client.force_login(manager)
    home = client.get(reverse("organisations:home", args=[world["org"].slug])).content.decode()
    assert "Turn the weekly digest on" in home and "Compliance matrix" in home
    client.post(reverse("organisations:digest", args=[own.pk]), {"digest": "on"})
    assert Membership.objects.get(pk=own.pk).digest_opt_in
    client.post(reverse("organisations:digest", args=[own.pk]), {"digest": "off"})
    assert not Membership.objects.get(pk=own.pk).digest_opt_in
    # Someone else's membership is a 404; a member who is not a manager has no digest.
    member_row = Membership.objects.get(user=world["member"], organisation=world["org"])
    assert client.post(reverse("organisations:digest", args=[member_row.pk])).status_code == 404
    client.force_login(world["member"])
    client.post(reverse("organisations:digest", args=[member_row.pk]), {"digest": "on"})
    assert not Membership.objects.get(pk=member_row.pk).digest_opt_in
