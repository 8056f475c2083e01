"""Who may read whose certificates, asked of the selectors directly.

The pages only ever ask about the signed-in learner's own certificates; the selectors are also
the gate for staff and for callers with no user at all (a task, an erased holder's certificate),
so their answers are pinned here: the holder and staff with the view permission see a
certificate, anyone else gets a 404.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from learnward.accounts.roles import ADMINISTRATOR, TUTOR
from learnward.certificates.selectors import certificate_for_holder, certificates_for_user
from learnward.certificates.services import certificate_reissue

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(certificate):
    return certificate.user


@pytest.fixture
def administrator(make_user):
    # Staff with certificates.view_certificate; no authenticator device and two-factor not
    # required on this site, so the session counts as having passed it.
    return make_user(email="admin@example.test", roles=[ADMINISTRATOR])


def test_a_learner_cannot_list_another_learners_certificates(certificate, holder, make_user):
    other = make_user()
    with pytest.raises(Http404):
        certificates_for_user(actor=other, user=holder)
    with pytest.raises(Http404):
        certificates_for_user(actor=make_user(roles=[TUTOR]), user=holder)  # staff, no permission
    assert list(certificates_for_user(actor=holder, user=holder)) == [certificate]


def test_staff_with_the_view_permission_list_anyones_certificates(
    certificate, holder, administrator
):
    assert list(certificates_for_user(actor=administrator, user=holder)) == [certificate]


@pytest.mark.parametrize("actor", [None, AnonymousUser()], ids=["no-actor", "anonymous"])
def test_no_signed_in_actor_no_certificates(certificate, holder, actor):
    with pytest.raises(Http404):
        certificates_for_user(actor=actor, user=holder)
    with pytest.raises(Http404):
        certificate_for_holder(actor=actor, code=certificate.display_code)


def test_asking_about_no_user_is_a_404_not_a_crash(certificate, holder):
    with pytest.raises(Http404):
        certificates_for_user(actor=holder, user=None)


def test_an_erased_holders_certificate_is_nobodys_to_open(certificate, holder):
    """Erasure keeps the certificate (the awarding record) with no user: a caller with no user
    must not match it through user IS NULL."""
    certificate.user = None
    certificate.save(update_fields=["user"])
    with pytest.raises(Http404):
        certificate_for_holder(actor=None, code=certificate.display_code)
    with pytest.raises(Http404):
        certificate_for_holder(actor=holder, code=certificate.display_code)


def test_the_holder_and_permitted_staff_open_a_certificate_others_get_a_404(
    certificate, holder, administrator, make_user
):
    assert certificate_for_holder(actor=holder, code=certificate.display_code) == certificate
    assert certificate_for_holder(actor=administrator, code=certificate.display_code) == certificate
    with pytest.raises(Http404):
        certificate_for_holder(actor=make_user(), code=certificate.display_code)
    with pytest.raises(Http404):
        certificate_for_holder(actor=holder, code="not-a-code")


def test_the_list_reads_replacements_in_the_same_query(holder, certificate, administrator):
    """The list page shows each replaced certificate's successor: the number of queries must
    not grow with the number of replaced certificates."""
    certificate_reissue(certificate=certificate, actor=administrator, holder_name="Amira O. Okafor")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            for c in certificates_for_user(actor=holder, user=holder):
                if c.replaced_by_id:
                    assert c.replaced_by.display_code
        return len(ctx.captured_queries)

    assert queries() == 1
