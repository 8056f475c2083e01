"""What a declaration records and what the registry derives from it: the erasure actions, the
fields erasure overwrites and with what, the order and filtering of declarations, the check's
reports and the machine-readable form the records and the notice are built from."""

import pytest
from django.apps import apps
from django.db import models

from learnward.privacy import registry
from learnward.privacy.registry import (
    CLEAR_RELATION,
    DeclarationError,
    Erasure,
    ErasureAction,
    NotAnonymisable,
    Retention,
    RetentionAction,
    anonymised_value,
    as_dict,
    declaration_for,
    declare,
    erasure_overwrites,
)
from learnward.privacy.registry.taxonomy import NOT_PERSONAL


def _forget(*names):
    for name in names:
        apps.all_models["core"].pop(name, None)
    apps.clear_cache()


@pytest.fixture
def pet():
    """A model added to an installed app at run time (no table: nothing here writes rows)."""

    class Pet(models.Model):
        owner_name = models.CharField(max_length=50)
        owner_email = models.EmailField(unique=True)
        nickname = models.CharField(max_length=50, unique=True)
        notes = models.TextField()
        vet_notes = models.TextField(null=True)
        answers = models.JSONField()
        insured = models.BooleanField()
        visits = models.IntegerField()
        weight = models.FloatField()
        fee = models.DecimalField(max_digits=6, decimal_places=2)
        born = models.DateField()
        friends = models.ManyToManyField("accounts.User")

        class Meta:
            app_label = "core"
            verbose_name_plural = "pets of learners"

        def __str__(self) -> str:
            return self.owner_name

    yield Pet
    registry.undeclare(Pet)
    _forget("pet", "pet_friends")


ALL_PET_FIELDS = {
    "id": NOT_PERSONAL,
    "owner_name": "user.name",
    "owner_email": "user.contact.email",
    "nickname": "user.name",
    "notes": "user.name",
    "vet_notes": "user.health_and_medical",
    "answers": NOT_PERSONAL,
    "insured": NOT_PERSONAL,
    "visits": NOT_PERSONAL,
    "weight": NOT_PERSONAL,
    "fee": NOT_PERSONAL,
    "born": NOT_PERSONAL,
    "friends": NOT_PERSONAL,
}


def _declare_pet(pet, **kwargs):
    kwargs.setdefault("fields", ALL_PET_FIELDS)
    kwargs.setdefault("purposes", ["account"])
    kwargs.setdefault("erasure", Erasure.delete())
    kwargs.setdefault("retention_note", "kept while the account is open")
    return declare(pet, **kwargs)


# --- the erasure actions ---------------------------------------------------------------------


def test_anonymise_keeps_its_fields_reason_and_values():
    erasure = Erasure.anonymise("a", "b", reason="kept for the accounts", values={"a": "Withheld"})
    assert erasure == Erasure(
        ErasureAction.ANONYMISE, ("a", "b"), "kept for the accounts", {"a": "Withheld"}
    )
    assert Erasure.anonymise("a") == Erasure(ErasureAction.ANONYMISE, ("a",), "", {})


def test_retain_keeps_its_fields_reason_and_values():
    erasure = Erasure.retain(reason="a legal duty", fields=["a", "b"], values={"c": "Withheld"})
    assert erasure == Erasure(ErasureAction.RETAIN, ("a", "b"), "a legal duty", {"c": "Withheld"})
    assert Erasure.retain(reason="a legal duty") == Erasure(
        ErasureAction.RETAIN, (), "a legal duty", {}
    )
    assert Erasure.delete() == Erasure(ErasureAction.DELETE, (), "", {})


def test_anonymise_overwrites_exactly_its_fields(pet):
    declaration = _declare_pet(pet, erasure=Erasure.anonymise("owner_name", "notes"))
    assert erasure_overwrites(declaration) == ("owner_name", "notes")


def test_retain_with_fields_overwrites_every_other_personal_field_but_the_key(pet):
    declaration = _declare_pet(
        pet,
        fields={**ALL_PET_FIELDS, "id": "user.name"},
        erasure=Erasure.retain(reason="a legal duty", fields=["owner_name", "notes"]),
    )
    assert erasure_overwrites(declaration) == ("owner_email", "nickname", "vet_notes")


def test_retain_without_fields_and_delete_overwrite_nothing(pet):
    assert erasure_overwrites(_declare_pet(pet, erasure=Erasure.retain(reason="legal"))) == ()
    assert erasure_overwrites(_declare_pet(pet, erasure=Erasure.delete())) == ()


# --- what erasure writes ---------------------------------------------------------------------


def test_explicit_values_win_over_the_neutral_value(pet):
    erasure = Erasure.anonymise("owner_name", values={"owner_name": "Name withheld"})
    assert anonymised_value(pet, "owner_name", erasure) == "Name withheld"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("owner_name", ""),
        ("notes", ""),
        ("vet_notes", None),
        ("answers", {}),
        ("insured", False),
        ("visits", 0),
        ("weight", 0),
        ("fee", 0),
        ("friends", CLEAR_RELATION),
    ],
)
def test_the_neutral_value_of_each_kind_of_field(pet, name, expected):
    value = anonymised_value(pet, name, Erasure.anonymise(name))
    assert value == expected
    assert type(value) is type(expected)


def test_the_primary_key_and_a_required_date_cannot_be_overwritten(pet):
    with pytest.raises(NotAnonymisable, match="the primary key cannot be overwritten"):
        anonymised_value(pet, "id", Erasure.anonymise("id"))
    with pytest.raises(
        NotAnonymisable,
        match=r"^DateField without null=True has no neutral value; make it nullable, "
        r"give Erasure\(values=\{\.\.\.\}\), or keep the field$",
    ):
        anonymised_value(pet, "born", Erasure.anonymise("born"))


@pytest.mark.django_db
def test_unique_text_becomes_erased_and_the_row_key(make_user):
    """Unique columns cannot all be blank: each row gets ``erased-<pk>`` (an address that cannot
    be delivered to, for an email field)."""
    from learnward.accounts.models import User
    from learnward.catalog.models import Course
    from tests.catalog.factories import make_course

    user = make_user()
    course = make_course(questions=0)
    User.objects.filter(pk=user.pk).update(
        email=anonymised_value(User, "email", Erasure.anonymise("email"))
    )
    Course.objects.filter(pk=course.pk).update(
        slug=anonymised_value(Course, "slug", Erasure.anonymise("slug"))
    )
    assert User.objects.get(pk=user.pk).email == f"erased-{user.pk}@erased.invalid"
    assert Course.objects.get(pk=course.pk).slug == f"erased-{course.pk}"


# --- declaring -------------------------------------------------------------------------------


def test_a_declaration_records_everything_it_was_given(pet):
    retention = Retention(
        description="Pet records",
        anchor="born",
        months=12,
        action=RetentionAction.ANONYMISE,
        fields=("owner_name",),
        setting="LEARNWARD_RETENTION_PETS_MONTHS",
        minimum_months=6,
    )
    declaration = _declare_pet(
        pet,
        subject="friends",
        retention=retention,
        retention_note="",
        subject_email="owner_email",
        source="The pet's owner",
        label="Pets",
    )
    assert declaration_for(pet) is declaration
    assert declaration.model is pet
    assert declaration.key == "core.Pet"
    assert declaration.subject == "friends"
    assert declaration.fields == ALL_PET_FIELDS
    assert declaration.purposes == ("account",)
    assert declaration.erasure == Erasure.delete()
    assert declaration.retention is retention
    assert declaration.subject_email == "owner_email"
    assert declaration.source == "The pet's owner"
    assert declaration.display_label == "Pets"


def test_a_declaration_without_personal_data_defaults_to_deletion(pet):
    declaration = declare(pet, fields={"id": NOT_PERSONAL})
    assert declaration.erasure == Erasure.delete()
    assert declaration.purposes == ()
    assert declaration.retention is None
    assert declaration.retention_note == ""
    assert declaration.subject is None
    assert declaration.subject_email == ""
    assert declaration.source == "You, when you use the platform"
    assert declaration.display_label == "Pets of learners"
    assert not declaration.holds_personal_data


def test_personal_fields_and_special_categories(pet):
    declaration = _declare_pet(pet)
    assert declaration.personal_fields == {
        "owner_name": "user.name",
        "owner_email": "user.contact.email",
        "nickname": "user.name",
        "notes": "user.name",
        "vet_notes": "user.health_and_medical",
    }
    assert declaration.special_categories == ["user.health_and_medical"]
    assert declaration.holds_personal_data


def test_a_subject_alone_makes_a_model_personal(pet):
    declaration = declare(pet, fields={"id": NOT_PERSONAL}, subject="friends")
    assert declaration.holds_personal_data
    assert declaration in registry.personal_declarations()
    declaration = declare(pet, fields={"id": NOT_PERSONAL})
    assert declaration not in registry.personal_declarations()
    assert declaration in registry.declarations()


def test_declarations_come_in_installed_model_order():
    from django.apps import apps as django_apps

    installed = [m._meta.label for m in django_apps.get_models(include_auto_created=True)]
    listed = [d.key for d in registry.declarations()]
    assert listed == [label for label in installed if label in listed]
    assert listed[0] == installed[0]
    personal = [d.key for d in registry.personal_declarations()]
    assert personal == [d.key for d in registry.declarations() if d.holds_personal_data]
    assert "accounts.User" in personal


def test_a_declared_model_no_longer_installed_comes_last(pet):
    _declare_pet(pet)
    _forget("pet", "pet_friends")
    try:
        assert registry.declarations()[-1].key == "core.Pet"
    finally:
        registry.undeclare(pet)


def test_undeclaring_removes_the_declaration_and_is_harmless_twice(pet):
    _declare_pet(pet)
    registry.undeclare(pet)
    assert declaration_for(pet) is None
    registry.undeclare(pet)
    assert declaration_for(pet) is None


def test_an_export_file_name_must_be_a_relative_folder_and_name(pet):
    for bad in ("../etc/passwd", "/account/profile", "//"):
        with pytest.raises(DeclarationError, match=r"^core\.Pet: file_name must be a relative"):
            declare(pet, fields={"owner_name": NOT_PERSONAL}, file_name=bad)
    assert declare(pet, fields={"owner_name": NOT_PERSONAL}, file_name="pets/pets").file_name


def test_refusals_name_the_model_and_the_field(pet):
    with pytest.raises(
        DeclarationError, match=r"^core\.Pet\.owner_name: unknown category 'user\.colour'$"
    ):
        declare(pet, fields={"owner_name": "user.colour"})
    with pytest.raises(DeclarationError, match=r"^core\.Pet: unknown purpose 'fun'$"):
        declare(pet, fields={"owner_name": "user.name"}, purposes=["account", "fun"])
    with pytest.raises(
        DeclarationError, match=r"^core\.Pet: personal data needs at least one purpose$"
    ):
        declare(pet, fields={"owner_name": "user.name"})
    with pytest.raises(
        DeclarationError, match=r"^core\.Pet: personal data needs an erasure action$"
    ):
        declare(pet, fields={"owner_name": "user.name"}, purposes=["account"])
    with pytest.raises(
        DeclarationError,
        match=r"^core\.Pet: retaining rows after erasure needs a reason$",
    ):
        declare(pet, fields={"id": NOT_PERSONAL}, erasure=Erasure(ErasureAction.RETAIN))
    with pytest.raises(
        DeclarationError,
        match=r"^core\.Pet: personal data needs a retention rule or a retention_note$",
    ):
        declare(
            pet, fields={"owner_name": "user.name"}, purposes=["account"], erasure=Erasure.delete()
        )
    assert declaration_for(pet) is None


def test_a_retention_rule_alone_satisfies_the_retention_requirement(pet):
    retention = Retention(
        description="Pets", anchor="born", months=12, action=RetentionAction.DELETE
    )
    declaration = _declare_pet(pet, retention=retention, retention_note="")
    assert declaration.retention is retention
    assert declaration_for(pet) is declaration


def test_a_retained_row_with_a_reason_is_accepted(pet):
    declaration = _declare_pet(pet, erasure=Erasure.retain(reason="a legal duty"))
    assert declaration.erasure.action == ErasureAction.RETAIN


def test_the_retention_ceiling_message_names_the_category_and_months(pet):
    fields = {"id": NOT_PERSONAL, "owner_name": "user.financial"}
    with pytest.raises(
        DeclarationError,
        match=r"^core\.Pet: holds payment and billing records, which are kept for at most 84 "
        r"months; declare a retention rule of no more than that$",
    ):
        _declare_pet(pet, fields=fields)


# --- the check -------------------------------------------------------------------------------


def test_an_undeclared_model_is_reported_with_every_field(pet):
    problems = [p for p in registry.check() if p.model == "core.Pet"]
    assert [str(p) for p in problems] == [
        "core.Pet: model is not declared in any privacy.py",
        *(
            f"core.Pet.{name}: field is neither declared nor marked not personal"
            for name in ALL_PET_FIELDS
        ),
    ]


def test_a_fully_declared_model_passes_the_check(pet):
    _declare_pet(pet)
    assert [p for p in registry.check() if p.model.startswith("core.Pet")] == [
        registry.Problem("core.Pet_friends", "", "model is not declared in any privacy.py"),
        *(
            registry.Problem(
                "core.Pet_friends", n, "field is neither declared nor marked not personal"
            )
            for n in ("id", "pet", "user")
        ),
    ]


def test_erasure_of_a_missing_or_unwritable_field_fails_the_check(pet):
    _declare_pet(pet, erasure=Erasure.anonymise("owner_name", "born", "id", "ghost"))
    problems = [str(p) for p in registry.check() if p.model == "core.Pet"]
    assert problems == [
        "core.Pet.ghost: erasure names a field the model does not have",
        "core.Pet.born: erasure cannot overwrite it: DateField without null=True has no neutral "
        "value; make it nullable, give Erasure(values={...}), or keep the field",
        "core.Pet.id: erasure cannot overwrite it: the primary key cannot be overwritten; "
        "delete the row instead",
    ]


def test_a_missing_field_named_first_does_not_hide_an_unwritable_one(pet):
    _declare_pet(pet, erasure=Erasure.anonymise("ghost", "born"))
    problems = [str(p) for p in registry.check() if p.model == "core.Pet"]
    assert problems == [
        "core.Pet.ghost: erasure names a field the model does not have",
        "core.Pet.born: erasure cannot overwrite it: DateField without null=True has no neutral "
        "value; make it nullable, give Erasure(values={...}), or keep the field",
    ]


def test_a_declared_model_that_is_not_installed_fails_the_check(pet):
    _declare_pet(pet)
    _forget("pet", "pet_friends")
    try:
        assert registry.check() == [
            registry.Problem("core.Pet", "", "declared model is not installed")
        ]
    finally:
        registry.undeclare(pet)


# --- the machine-readable form ---------------------------------------------------------------


def test_as_dict_with_a_retention_rule(pet):
    declaration = _declare_pet(
        pet,
        subject="friends",
        subject_email="owner_email",
        erasure=Erasure.retain(reason="a legal duty", fields=["owner_name"]),
        retention=Retention(
            description="Pet records",
            anchor="born",
            months=12,
            action=RetentionAction.ANONYMISE,
            setting="LEARNWARD_RETENTION_PETS_MONTHS",
            minimum_months=6,
        ),
        label="Pets",
        source="The pet's owner",
    )
    data = as_dict(declaration)
    assert data == {
        "model": "core.Pet",
        "label": "Pets",
        "subject": "friends",
        "subject_email": "owner_email",
        "source": "The pet's owner",
        "purposes": ["account"],
        "fields": {
            name: {
                "category": cat,
                "personal": cat != NOT_PERSONAL,
                "special": cat == "user.health_and_medical",
            }
            for name, cat in ALL_PET_FIELDS.items()
        },
        "erasure": {
            "action": "retain",
            "fields": ["owner_name"],
            "overwritten": ["owner_email", "nickname", "notes", "vet_notes"],
            "reason": "a legal duty",
        },
        "retention": {
            "description": "Pet records",
            "anchor": "born",
            "months": 12,
            "minimum_months": 6,
            "action": "anonymise",
            "setting": "LEARNWARD_RETENTION_PETS_MONTHS",
        },
    }
    assert data["fields"]["id"]["special"] is False
    assert data["fields"]["vet_notes"]["special"] is True


def test_as_dict_without_a_retention_rule_gives_the_note(pet):
    data = as_dict(_declare_pet(pet))
    assert data["retention"] == {"description": "kept while the account is open"}
    assert data["subject"] is None
    assert data["subject_email"] is None
    assert data["erasure"] == {"action": "delete", "fields": [], "overwritten": [], "reason": ""}
    retention = Retention(
        description="Pets", anchor="born", months=12, action=RetentionAction.DELETE
    )
    data = as_dict(_declare_pet(pet, retention=retention))
    assert data["retention"]["setting"] is None
    assert data["retention"]["minimum_months"] == 0


# --- notice sections -------------------------------------------------------------------------


def test_a_registered_notice_section_is_built_on_request():
    calls = []

    def build():
        calls.append(1)
        return {"said": "hello"}

    registry.register_notice_section("test-pets", build)
    try:
        assert calls == []
        assert registry.notice_section("test-pets") == {"said": "hello"}
        assert calls == [1]
        assert registry.notice_section("test-nothing-registered") is None
    finally:
        registry._NOTICE_SECTIONS.pop("test-pets")
