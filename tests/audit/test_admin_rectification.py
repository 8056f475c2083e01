"""Staff correct declared fields through the admin; every save is audited with field names."""

from __future__ import annotations

import pytest

from learnward.accounts.roles import ADMINISTRATOR, DPO
from learnward.audit.admin_mixins import subject_of
from learnward.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(make_user):
    return make_user(email="ada@example.test", display_name="Ada Lovelace")


@pytest.fixture
def dpo(make_user):
    return make_user(email="dpo@example.test", display_name="Dee Pee", roles=[DPO])


def test_a_name_correction_is_saved_and_audited_without_the_values(client, dpo, learner):
    client.force_login(dpo)
    url = f"/admin/accounts/user/{learner.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"display_name": "Augusta Ada King", "date_of_birth": "1990-12-10", "roles": []}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    learner.refresh_from_db()
    assert learner.display_name == "Augusta Ada King"
    entry = AuditEntry.objects.get(action="privacy.record_corrected")
    assert entry.actor_id == dpo.pk and entry.subject_id == learner.pk
    assert entry.payload == {"fields": ["date_of_birth", "display_name"], "created": False}
    assert "Augusta" not in str(entry.payload)


def test_saving_without_changes_records_nothing(client, make_user, learner):
    admin = make_user(roles=[ADMINISTRATOR])
    client.force_login(admin)
    client.post(
        f"/admin/accounts/user/{learner.pk}/change/",
        {"display_name": learner.display_name, "date_of_birth": "", "roles": []},
    )
    assert not AuditEntry.objects.filter(action="privacy.record_corrected").exists()


def test_the_subject_is_found_through_the_registry(learner):
    from learnward.privacy.rights.services import restriction_start

    restriction = restriction_start(user=learner, actor=learner)
    assert subject_of(learner).pk == learner.pk
    assert subject_of(restriction).pk == learner.pk
