"""The learner's "What your employer sees" on their My data page (a section registered with
:mod:`learnward.privacy.rights.extensions`).

It shows, for each organisation the learner belongs to now, exactly what its managers see about
them: the members list's row (name, email, department, role, joined) and the compliance matrix's
row, rendered by the matrix's own template from the matrix's own selector
(``matrix.member_rows_for_user``), so the two cannot drift apart. The matrix lives in
``learnward/organisations/matrix.py``.
"""

from __future__ import annotations

from learnward.privacy.consent.gate import processing_allowed
from learnward.privacy.rights.extensions import MyDataSection

from .matrix import member_rows_for_user
from .privacy import PURPOSE
from .selectors import memberships_of


def employer_view(*, user) -> MyDataSection | None:
    memberships = list(memberships_of(user=user))
    if not memberships:
        return None
    by_organisation = {}
    for organisation, row in member_rows_for_user(user=user):
        by_organisation.setdefault(organisation.pk, []).append(row)
    return MyDataSection(
        "organisations/my_data_section.html",
        {
            # An objection (or a restriction) hides their training from every manager.
            "blocked": not processing_allowed(user=user, purpose=PURPOSE),
            "entries": [(m, by_organisation.get(m.organisation_id, [])) for m in memberships],
        },
    )
