"""The privacy app's admin: each topic registers its models in its own module."""

from . import (
    consent_admin,  # noqa: F401
    governance_admin,  # noqa: E402, F401
)
from .rights import admin as _rights_admin  # noqa: E402, F401
