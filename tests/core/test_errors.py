"""One ApplicationError base: every error a service raises on purpose derives from it, and the
ones callers catch as ValueError or RuntimeError still are those."""

import importlib
import inspect
import pkgutil

import pytest

import learnward
from learnward.core.errors import ApplicationError


def test_message_and_extra():
    error = ApplicationError("That course is full.", extra={"course": 7})
    assert str(error) == "That course is full."
    assert error.message == "That course is full."
    assert error.extra == {"course": 7}


def test_defaults():
    error = ApplicationError()
    assert error.message == "" and error.extra == {} and error.args == ()
    assert ApplicationError("x").extra is not ApplicationError("y").extra


def _learnward_errors() -> list[type[BaseException]]:
    found = set()
    for module in pkgutil.walk_packages(learnward.__path__, "learnward."):
        if ".migrations" in module.name or module.name.endswith(".wsgi"):
            continue
        for _, value in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(value, BaseException) and value.__module__.startswith("learnward."):
                found.add(value)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


@pytest.mark.django_db
def test_every_learnward_error_is_an_application_error():
    errors = _learnward_errors()
    assert len(errors) > 20  # the walk really found them
    assert [e for e in errors if not issubclass(e, ApplicationError)] == []


@pytest.mark.parametrize(
    ("path", "builtin"),
    [
        ("learnward.certificates.services.CertificateError", ValueError),
        ("learnward.support.services.SupportError", ValueError),
        ("learnward.privacy.records.breaches.BreachError", ValueError),
        ("learnward.privacy.retention.rules.RetentionConfigError", ValueError),
        ("learnward.privacy.registry.erasure.ErasureError", RuntimeError),
        ("learnward.privacy.retention.rules.RetentionBusy", RuntimeError),
        ("learnward.accounts.guardian.GuardianEmailInvalid", ValueError),
    ],
)
def test_errors_stay_catchable_as_before(path, builtin):
    module, name = path.rsplit(".", 1)
    error = getattr(importlib.import_module(module), name)("Safe to show.")
    assert isinstance(error, builtin) and isinstance(error, ApplicationError)
    assert error.message == "Safe to show." == str(error)
