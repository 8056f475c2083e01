"""The one staff-access check: staff, the page's permission, and a two-factor-satisfied session."""

from functools import partial

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from learnward.core.access import (
    has_staff_access,
    has_two_factor,
    is_staff_account,
    staff_powers,
    staff_required,
    two_factor_passed,
    two_factor_satisfied,
)

pytestmark = pytest.mark.django_db

PERMISSION = "auth.view_group"
PATH = "/staff/somewhere/?tab=2"


def _grant(user, permission: str = PERMISSION):
    app_label, codename = permission.split(".")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    # has_perm caches on the instance; a fresh copy sees the new permission.
    return type(user).objects.get(pk=user.pk)


def _request(user, *, verified: bool = False):
    request = RequestFactory().get(PATH)
    if user.is_authenticated:
        # What django-otp's OTPMiddleware attaches to an authenticated user.
        user.is_verified = partial(lambda flag: flag, verified)
    request.user = user
    return request


def _device(user, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=confirmed)


@staff_required(PERMISSION)
def _page(request):
    return HttpResponse("staff page")


@pytest.fixture
def staff(make_user):
    return _grant(make_user(email="staff@example.test", is_staff=True))


def test_anonymous_is_sent_to_the_login_page():
    request = _request(AnonymousUser())
    assert not has_staff_access(request, PERMISSION)
    assert not staff_powers(request.user, PERMISSION)
    assert not two_factor_satisfied(request)
    response = _page(request)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?")
    assert "next=/staff/somewhere/%3Ftab%3D2" in response["Location"]


def test_none_is_not_staff():
    assert not staff_powers(None, PERMISSION)


def test_a_learner_with_the_permission_gets_a_404(make_user):
    learner = _grant(make_user())
    request = _request(learner)
    assert not has_staff_access(request, PERMISSION)
    with pytest.raises(Http404):
        _page(request)


def test_staff_without_the_permission_get_a_404(make_user):
    staff = make_user(is_staff=True)
    request = _request(staff)
    assert staff_powers(staff)  # staff, no permission asked for
    assert not staff_powers(staff, PERMISSION)
    assert not has_staff_access(request, PERMISSION)
    with pytest.raises(Http404):
        _page(request)


def test_a_closed_staff_account_has_no_access(make_user):
    staff = _grant(make_user(is_staff=True))
    staff.status = staff.Status.CLOSED
    assert not staff.is_active
    assert not staff_powers(staff, PERMISSION)


def test_staff_with_a_device_but_an_unverified_session_go_to_the_two_factor_page(staff):
    _device(staff)
    request = _request(staff, verified=False)
    assert has_two_factor(staff)
    assert is_staff_account(staff, PERMISSION)
    assert not two_factor_satisfied(request)
    assert not has_staff_access(request, PERMISSION)
    # The selectors' check refuses the same session: no staff powers until the code.
    assert not staff_powers(request.user, PERMISSION)
    assert not staff_powers(request.user, PERMISSION)
    response = _page(request)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")


def test_when_two_factor_is_required_staff_without_a_device_go_to_the_two_factor_page(
    staff, settings
):
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    _device(staff, confirmed=False)  # started, never confirmed: not a second factor
    request = _request(staff, verified=False)
    assert not has_two_factor(staff)
    assert not has_staff_access(request, PERMISSION)
    response = _page(request)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")


def test_when_two_factor_is_required_a_verified_session_has_access(staff, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    _device(staff)
    request = _request(staff, verified=True)
    assert has_staff_access(request, PERMISSION)
    assert _page(request).content == b"staff page"


def test_when_two_factor_is_optional_staff_without_a_device_have_access(staff, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    request = _request(staff, verified=False)
    assert has_staff_access(request, PERMISSION)
    assert _page(request).content == b"staff page"


def test_a_verified_session_with_a_device_has_access(staff):
    _device(staff)
    request = _request(staff, verified=True)
    assert has_staff_access(request, PERMISSION)
    assert _page(request).status_code == 200


def test_a_rule_can_be_a_predicate_on_the_user(staff):
    request = _request(staff)
    assert has_staff_access(request, lambda user: user.email == "staff@example.test")
    assert not has_staff_access(request, lambda user: False)
    with pytest.raises(Http404):
        staff_required(lambda user: False)(_page)(request)


def test_the_decorator_keeps_the_view_name():
    assert _page.__name__ == "_page"


def test_staff_powers_read_the_sessions_two_factor_state_from_the_user(staff):
    _device(staff)
    verified = _request(staff, verified=True).user
    assert staff_powers(verified, PERMISSION)
    assert two_factor_passed(verified)
    unverified = _request(type(staff).objects.get(pk=staff.pk), verified=False).user
    assert not staff_powers(unverified, PERMISSION)


def test_a_user_loaded_from_the_database_is_not_verified(staff):
    """Not from a request, so no is_verified(): a selector given such a user grants nothing to
    an account with a device."""
    _device(staff)
    loaded = type(staff).objects.get(pk=staff.pk)
    assert not hasattr(loaded, "is_verified")
    assert is_staff_account(loaded, PERMISSION)
    assert not two_factor_passed(loaded)
    assert not staff_powers(loaded, PERMISSION)


def test_a_user_loaded_from_the_database_without_a_device(staff, settings):
    """Two-factor does not apply to it unless the site requires it."""
    loaded = type(staff).objects.get(pk=staff.pk)
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    assert staff_powers(loaded, PERMISSION)
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    assert not staff_powers(loaded, PERMISSION)


def test_when_two_factor_is_required_staff_powers_need_a_device_and_a_code(staff, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    assert not staff_powers(_request(staff, verified=True).user, PERMISSION)  # no device
    _device(staff)
    staff = type(staff).objects.get(pk=staff.pk)  # a later request loads the user afresh
    assert not staff_powers(_request(staff, verified=False).user, PERMISSION)
    assert staff_powers(_request(staff, verified=True).user, PERMISSION)


def test_staff_without_the_permission_whose_session_needs_a_code_go_to_the_two_factor_page(
    make_user,
):
    """The page's rule is asked only of a session that passed: the code comes first."""
    staff = make_user(is_staff=True)
    _device(staff)
    response = _page(_request(staff, verified=False))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")
    with pytest.raises(Http404):
        _page(_request(staff, verified=True))


def test_the_rule_is_not_asked_before_two_factor(staff, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    asked = []

    @staff_required(lambda user: asked.append(user) or True)
    def page(request):
        return HttpResponse("staff page")

    assert page(_request(staff)).status_code == 302
    assert asked == []


def test_a_request_asks_the_database_about_devices_once(staff, django_assert_num_queries):
    # The decorator, the selectors and the templates all check; the answer is kept on the user.
    staff.refresh_from_db()
    with django_assert_num_queries(1):
        for _ in range(3):
            has_two_factor(staff)


def test_no_account_has_no_second_factor(make_user):
    assert not has_two_factor(AnonymousUser())
    assert not has_two_factor(None)
    assert not two_factor_passed(AnonymousUser())
    assert not two_factor_passed(None)
    unsaved = type(make_user())(email="unsaved@example.test", is_staff=True)
    assert not has_two_factor(unsaved)


def test_another_accounts_device_is_not_this_accounts_second_factor(staff, make_user, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    _device(make_user(email="other@example.test", is_staff=True))
    assert not has_two_factor(staff)
    assert two_factor_passed(_request(staff, verified=False).user)
    assert has_staff_access(_request(staff, verified=False), PERMISSION)
