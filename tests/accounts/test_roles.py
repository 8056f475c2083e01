import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from learnward.accounts.roles import ADMINISTRATOR, COURSE_AUTHOR, DPO, ROLE_PERMISSIONS, TUTOR
from learnward.accounts.services import user_set_roles
from learnward.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_migrate_creates_the_four_roles_with_their_permissions():
    # No ensure_roles() call here: post_migrate made them when the test database was built.
    groups = {g.name: g for g in Group.objects.all()}
    assert {COURSE_AUTHOR, TUTOR, ADMINISTRATOR, DPO} <= set(groups)
    for name, perms in ROLE_PERMISSIONS.items():
        have = {(p.content_type.app_label, p.codename) for p in groups[name].permissions.all()}
        assert have == set(perms)
    assert ("accounts", "delete_user") not in ROLE_PERMISSIONS[ADMINISTRATOR]


def test_set_roles_is_audited_and_sets_staff(make_user):
    admin = make_user(roles=[ADMINISTRATOR])
    user = make_user()
    assert user_set_roles(user=user, roles=[TUTOR, COURSE_AUTHOR], actor=admin)
    user.refresh_from_db()
    assert user.is_staff
    assert set(user.groups.values_list("name", flat=True)) == {TUTOR, COURSE_AUTHOR}
    entry = AuditEntry.objects.get(action="user.role_changed", subject_id=user.pk)
    assert entry.actor_id == admin.pk
    assert entry.payload == {"added": [COURSE_AUTHOR, TUTOR], "removed": []}

    assert not user_set_roles(user=user, roles=[COURSE_AUTHOR, TUTOR], actor=admin)
    assert AuditEntry.objects.filter(action="user.role_changed", subject_id=user.pk).count() == 1

    user_set_roles(user=user, roles=[], actor=admin)
    user.refresh_from_db()
    assert not user.is_staff and not user.groups.exists()
    last = AuditEntry.objects.filter(action="user.role_changed", subject_id=user.pk).last()
    assert last.payload == {"added": [], "removed": [COURSE_AUTHOR, TUTOR]}


def test_set_roles_refuses_unknown_roles_and_unauthorised_actors(make_user):
    learner = make_user()
    tutor = make_user(roles=[TUTOR])
    with pytest.raises(ValueError, match="unknown roles"):
        user_set_roles(user=learner, roles=["Superhero"], actor=None)
    with pytest.raises(PermissionDenied):
        user_set_roles(user=learner, roles=[TUTOR], actor=tutor)
    superuser = make_user(is_superuser=True, is_staff=True)
    admin = make_user(roles=[ADMINISTRATOR])
    with pytest.raises(PermissionDenied):
        user_set_roles(user=superuser, roles=[], actor=admin)
    assert not learner.groups.exists()
    assert not AuditEntry.objects.filter(subject_id=learner.pk).exists()


def test_superuser_keeps_staff_without_roles(make_user):
    superuser = make_user(is_superuser=True, is_staff=True)
    user_set_roles(user=superuser, roles=[ADMINISTRATOR], actor=None)
    user_set_roles(user=superuser, roles=[], actor=None)
    superuser.refresh_from_db()
    assert superuser.is_staff


def test_administrator_sets_roles_in_the_admin(client, make_user):
    admin = make_user(roles=[ADMINISTRATOR])
    learner = make_user(email="ann@example.test", display_name="Ann Example")
    client.force_login(admin)
    listing = client.get("/admin/accounts/user/?q=ann")
    assert listing.status_code == 200
    assert "ann@example.test" in listing.content.decode()

    url = reverse("admin:accounts_user_change", args=[learner.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="roles"' in html
    assert 'name="is_superuser"' not in html and 'name="email"' not in html
    form = {"display_name": "Ann Example", "date_of_birth": "", "roles": [TUTOR]}
    response = client.post(url, form)
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.is_staff and list(learner.groups.values_list("name", flat=True)) == [TUTOR]
    entry = AuditEntry.objects.get(action="user.role_changed", subject_id=learner.pk)
    assert entry.actor_id == admin.pk
    # The address and superuser flag cannot be changed here.
    client.post(url, {**form, "email": "x@evil.test", "is_superuser": "on"})
    learner.refresh_from_db()
    assert learner.email == "ann@example.test" and not learner.is_superuser


def test_admin_cannot_add_delete_or_touch_superusers(client, make_user):
    admin = make_user(roles=[ADMINISTRATOR])
    superuser = make_user(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get("/admin/accounts/user/add/").status_code == 403
    learner = make_user()
    assert client.get(f"/admin/accounts/user/{learner.pk}/delete/").status_code == 403
    response = client.post(
        reverse("admin:accounts_user_change", args=[superuser.pk]),
        {"display_name": "X", "roles": []},
    )
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.is_superuser


def test_dpo_may_view_accounts_but_not_change_roles(client, make_user):
    dpo = make_user(roles=[DPO])
    learner = make_user(roles=[TUTOR])
    client.force_login(dpo)
    url = reverse("admin:accounts_user_change", args=[learner.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="roles"' not in html and "Tutor" in html  # shown, not editable
    with pytest.raises(PermissionDenied):
        user_set_roles(user=dpo, roles=[ADMINISTRATOR], actor=dpo)
    learner.groups.clear()
    client.post(url, {"display_name": "X", "roles": [ADMINISTRATOR]})
    learner.refresh_from_db()
    assert not learner.groups.exists()
    assert not AuditEntry.objects.filter(action="user.role_changed", subject_id=learner.pk).exists()


@pytest.mark.parametrize("role", [COURSE_AUTHOR, TUTOR])
def test_author_and_tutor_cannot_see_accounts_in_the_admin(client, make_user, role):
    client.force_login(make_user(roles=[role]))
    assert client.get("/admin/accounts/user/").status_code == 403


def test_learners_are_kept_out_of_the_admin(client, make_user):
    client.force_login(make_user())
    response = client.get("/admin/")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 403
    assert "Staff only" in page.content.decode()


def test_admin_login_uses_the_site_login(client):
    response = client.get("/admin/", follow=False)
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login.status_code == 302
    assert login["Location"].startswith("/accounts/login/?next=")
