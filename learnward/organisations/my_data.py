"""The learner's "What your employer sees" on their My data page (a section registered with
:mod:`learnward.privacy.rights.extensions`).

It shows, for each organisation the learner belongs to now, exactly what its managers see about
them: the members list's row (name, email, department, role, joined) and the compliance matrix's
row, rendered by the matrix's own template from the matrix's own selector
(``matrix.member_rows_for_user``), so the two cannot drift apart. The matrix lives in
``learnward/organisations/matrix.py``; until it is there, the section shows the members list's
row only.
"""

from __future__ import annotations

from learnward.privacy.rights.extensions import MyDataSection

from .selectors import memberships_of


def _matrix_rows(user) -> list | None:
    try:
        import learnward.organisations.matrix as matrix
    except ModuleNotFoundError as exc:  # the matrix is built separately (issue #17)
        if exc.name != "learnward.organisations.matrix":
            raise
        return None
    return matrix.member_rows_for_user(user=user)


def employer_view(*, user) -> MyDataSection | None:
    memberships = list(memberships_of(user=user))
    if not memberships:
        return None
    rows = _matrix_rows(user)
    by_organisation = {}
    for organisation, row in rows or ():
        by_organisation.setdefault(organisation.pk, []).append(row)
    return MyDataSection(
        "organisations/my_data_section.html",
        {
            "entries": [(m, by_organisation.get(m.organisation_id, [])) for m in memberships],
            "matrix_ready": rows is not None,
        },
    )
