import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from learnward.privacy import registry
from learnward.privacy.registry import DeclarationError, Erasure, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL


def test_every_installed_model_and_field_is_declared():
    problems = registry.check()
    assert problems == [], "\n".join(map(str, problems))


def test_check_command_passes(capsys):
    call_command("privacy_registry", "--check")
    assert "every field covered" in capsys.readouterr().out


@pytest.fixture
def undeclared_model():
    """A model added to an installed app at run time, as if a developer added it without declaring."""

    class PetName(models.Model):
        owner_name = models.CharField(max_length=50)

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return self.owner_name

    yield PetName
    from django.apps import apps

    del apps.all_models["core"]["petname"]
    apps.clear_cache()


def test_check_fails_naming_an_undeclared_model_and_field(undeclared_model, capsys):
    with pytest.raises(CommandError):
        call_command("privacy_registry", "--check")
    err = capsys.readouterr().err
    assert "core.PetName: model is not declared" in err
    assert "core.PetName.owner_name: field is neither declared nor marked not personal" in err


def test_check_fails_on_an_added_field_of_a_declared_model(undeclared_model):
    declare(undeclared_model, fields={"id": NOT_PERSONAL})
    try:
        problems = [str(p) for p in registry.check()]
        assert (
            "core.PetName.owner_name: field is neither declared nor marked not personal" in problems
        )
        declare(
            undeclared_model,
            fields={"id": NOT_PERSONAL, "owner_name": "user.name"},
            purposes=["account"],
            erasure=Erasure.delete(),
            retention_note="test",
        )
        assert registry.check() == []
    finally:
        registry.undeclare(undeclared_model)


def test_a_declared_field_the_model_lacks_fails_the_check(undeclared_model, capsys):
    """A ghost field (renamed or removed on the model, still declared) is reported by name:
    the declaration no longer says what the table holds."""
    declare(
        undeclared_model,
        fields={"id": NOT_PERSONAL, "owner_name": "user.name", "owner_email": "user.contact.email"},
        purposes=["account"],
        erasure=Erasure.delete(),
        retention_note="test",
    )
    try:
        problems = [str(p) for p in registry.check()]
        assert problems == ["core.PetName.owner_email: declared field does not exist on the model"]
        with pytest.raises(CommandError):
            call_command("privacy_registry", "--check")
        assert (
            "core.PetName.owner_email: declared field does not exist on the model"
            in capsys.readouterr().err
        )
    finally:
        registry.undeclare(undeclared_model)


def test_declarations_refuse_unknown_categories_purposes_and_missing_rules(undeclared_model):
    with pytest.raises(DeclarationError, match="unknown category"):
        declare(undeclared_model, fields={"owner_name": "user.favourite_colour"})
    with pytest.raises(DeclarationError, match="unknown purpose"):
        declare(undeclared_model, fields={"owner_name": "user.name"}, purposes=["fun"])
    with pytest.raises(DeclarationError, match="needs at least one purpose"):
        declare(undeclared_model, fields={"owner_name": "user.name"})
    with pytest.raises(DeclarationError, match="needs an erasure action"):
        declare(undeclared_model, fields={"owner_name": "user.name"}, purposes=["account"])
    with pytest.raises(DeclarationError, match="needs a reason"):
        declare(
            undeclared_model,
            fields={"owner_name": "user.name"},
            purposes=["account"],
            erasure=Erasure(registry.ErasureAction.RETAIN),
            retention_note="x",
        )


@pytest.mark.django_db  # awarding-body recipients are read from the catalog
def test_json_format_lists_purposes_and_special_categories(capsys):
    import json

    call_command("privacy_registry", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["purposes"]["account"]["lawful_basis"] == "contract"
    user = next(m for m in data["models"] if m["model"] == "accounts.User")
    assert user["fields"]["email"] == {
        "category": "user.contact.email",
        "personal": True,
        "special": False,
    }
    assert user["fields"]["date_of_birth"]["personal"] is True


def test_table_format_lists_personal_fields(capsys):
    call_command("privacy_registry")
    out = capsys.readouterr().out
    assert "accounts.User" in out and "user.contact.email" in out


def financial_declaration(model, months):
    return declare(
        model,
        fields={"id": NOT_PERSONAL, "owner_name": "user.financial"},
        subject=None,
        purposes=["account"],
        erasure=Erasure.delete(),
        retention=None
        if months is None
        else registry.Retention(
            description="Invoices",
            anchor="id",
            months=months,
            action=registry.RetentionAction.DELETE,
            setting="LEARNWARD_RETENTION_PET_INVOICES_MONTHS",
        ),
        retention_note="kept for the accounts",
    )


def test_billing_data_cannot_be_declared_without_its_seven_year_limit(undeclared_model):
    """The seeds promise billing data is kept for a maximum of 7 years: a model holding it is
    refused unless its retention rule keeps it no longer than that."""
    try:
        with pytest.raises(DeclarationError, match="at most 84 months"):
            financial_declaration(undeclared_model, None)
        with pytest.raises(DeclarationError, match="payment and billing records"):
            financial_declaration(undeclared_model, 85)
        declaration = financial_declaration(undeclared_model, 84)
        assert declaration.retention_ceiling == (84, "Payment and billing records")
    finally:
        registry.undeclare(undeclared_model)


def test_the_provider_cannot_lengthen_billing_retention_past_the_limit(undeclared_model, settings):
    from learnward.privacy.retention.rules import RetentionConfigError, Rule, effective_period

    try:
        rule = Rule(financial_declaration(undeclared_model, 72))
        assert effective_period(rule, overrides={}).months == 72
        assert effective_period(rule, overrides={"core.PetName": 84}).months == 84
        with pytest.raises(RetentionConfigError, match="above the 84 months"):
            effective_period(rule, overrides={"core.PetName": 90})
        settings.RETENTION_MONTHS = {"LEARNWARD_RETENTION_PET_INVOICES_MONTHS": 100}
        with pytest.raises(
            RetentionConfigError, match="LEARNWARD_RETENTION_PET_INVOICES_MONTHS is 100 months"
        ):
            effective_period(rule, overrides={})
    finally:
        registry.undeclare(undeclared_model)
