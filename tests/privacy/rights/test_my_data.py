"""The "My data" page: everything held, grouped by purpose, straight from the registry."""

from __future__ import annotations

import pytest
from django.db import connection, models
from django.http import Http404
from django.urls import reverse

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.privacy import registry
from learnward.privacy.registry import Erasure, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL
from learnward.privacy.rights.selectors import my_data

URL = "/privacy/my-data/"


def test_the_page_needs_a_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_account_menu_links_to_it(client, learner):
    client.force_login(learner)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{URL}"' in page


@pytest.mark.django_db
def test_shows_the_learners_data_grouped_by_purpose_with_its_basis_and_retention(
    client,
    learner,
    other_learner,
):
    audit_record(
        action=Action.USER_PROFILE_CHANGED,
        actor=learner,
        subject=learner,
        payload={"fields": ["display_name"]},
    )
    audit_record(action=Action.USER_PASSWORD_CHANGED, actor=other_learner, subject=other_learner)
    client.force_login(learner)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Running your account" in page  # purpose
    assert "Contract (Art. 6(1)(b))" in page  # lawful basis
    assert "Accountability records" in page and "Legal obligation (Art. 6(1)(c))" in page
    assert "12 months after it is deactivated or closed" in page  # retention from the registry
    assert "You, when you sign up and edit your profile" in page  # source
    assert "Our hosting provider" in page  # recipients
    assert "Ada Lovelace" in page and "ada@example.test" in page  # values
    assert "Date of birth" in page and "Email address" in page  # category labels
    assert "Profile changed" in page and "display_name" in page  # audit entries about them
    assert "Password changed" not in page  # another learner's entry
    assert "grace@example.test" not in page and "Grace Hopper" not in page
    assert "pbkdf2" not in page and "md5$" not in page  # credentials never shown
    assert 'href="/privacy/my-data/delete/"' in page
    assert 'action="/privacy/my-data/download/"' in page


@pytest.mark.django_db
def test_only_the_learner_and_the_dpo_may_read_it(learner, other_learner, dpo):
    with pytest.raises(Http404):
        my_data(actor=other_learner, user=learner)
    assert my_data(actor=dpo, user=learner).groups
    assert my_data(actor=learner, user=learner).groups


@pytest.fixture
def badge_model(transactional_db):
    """A model added to an installed app, with its table, as if a developer had just added it."""

    class LoyaltyBadge(models.Model):
        owner = models.ForeignKey("accounts.User", on_delete=models.CASCADE)
        motto = models.CharField("motto on the badge", max_length=100)

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return self.motto

    with connection.schema_editor() as editor:
        editor.create_model(LoyaltyBadge)
    yield LoyaltyBadge
    registry.undeclare(LoyaltyBadge)
    with connection.schema_editor() as editor:
        editor.delete_model(LoyaltyBadge)
    from django.apps import apps

    del apps.all_models["core"]["loyaltybadge"]
    apps.clear_cache()


def test_a_newly_declared_model_and_field_appear_without_touching_the_page(
    client,
    badge_model,
    make_user,
):
    lin = make_user(email="lin@example.test", display_name="Lin")
    badge_model.objects.create(owner=lin, motto="Per ardua ad astra")
    client.force_login(lin)
    assert "Per ardua ad astra" not in client.get(URL).content.decode()  # not declared yet

    declare(
        badge_model,
        subject="owner",
        fields={"id": NOT_PERSONAL, "owner": "user.unique_id", "motto": "user.content.reflection"},
        purposes=["cpd_record"],
        erasure=Erasure.delete(),
        retention_note="Until you remove the badge.",
        source="You, when you pick a badge",
        label="Loyalty badges",
    )
    page = client.get(URL).content.decode()
    assert "Loyalty badges" in page
    assert "Motto on the badge" in page and "Reflections and CPD notes" in page
    assert "Per ardua ad astra" in page
    assert "Until you remove the badge." in page and "You, when you pick a badge" in page
    assert "Keeping your CPD record" in page


@pytest.mark.django_db
def test_a_field_added_to_an_existing_declaration_appears(client, learner):
    from learnward.accounts.models import User

    original = registry.declaration_for(User)
    fields = {k: v for k, v in original.fields.items() if k != "date_joined"}
    client.force_login(learner)
    try:
        declare(
            User,
            subject=original.subject,
            fields=fields,
            purposes=original.purposes,
            erasure=original.erasure,
            retention=original.retention,
            source=original.source,
            label=original.label,
        )
        assert "Date joined" not in client.get(URL).content.decode()
        declare(
            User,
            subject=original.subject,
            fields={**fields, "date_joined": "user.account.settings"},
            purposes=original.purposes,
            erasure=original.erasure,
            retention=original.retention,
            source=original.source,
            label=original.label,
        )
        assert "Date joined" in client.get(URL).content.decode()
    finally:
        registry._REGISTRY[original.key] = original
