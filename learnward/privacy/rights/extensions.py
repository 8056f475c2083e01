"""Where apps above rights add a section to the learner's "My data" page, so that rights
imports none of them (organisations: "What your employer sees").

``build(*, user)`` returns a :class:`MyDataSection` (a template and its context) or None when it
has nothing to show this user. The page includes each section's template with ``section`` set
to the context, after the list of what we hold. Registering again under the same name replaces
the entry; entries keep the order they were first registered in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class MyDataSection:
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


MyDataSectionBuild = Callable[..., MyDataSection | None]

_SECTIONS: dict[str, MyDataSectionBuild] = {}


def register_my_data_section(name: str, build: MyDataSectionBuild) -> None:
    _SECTIONS[name] = build


def my_data_sections(*, user) -> list[MyDataSection]:
    sections = (build(user=user) for build in _SECTIONS.values())
    return [section for section in sections if section is not None]
