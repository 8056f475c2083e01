"""The compliance matrix page and its CSV, for a current manager of the organisation or staff
who manage organisations (anyone else: 404). Thin: the data comes from matrix.py."""

from __future__ import annotations

import csv
import io

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core import charts
from learnward.core.forms import AccessibleFormMixin
from learnward.core.i18n import use_language
from learnward.core.text import csv_safe

from .matrix import STATUS_CHOICES, STATUSES, Matrix, compliance_matrix
from .selectors import managed_organisation


class MatrixFilterForm(AccessibleFormMixin, forms.Form):
    department = forms.ChoiceField(label=gettext_lazy("Department"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), *STATUS_CHOICES],
        help_text=gettext_lazy("People with at least one required course in this status."),
    )

    def __init__(self, *args, departments=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All departments"))] + [
            (d, d) for d in departments
        ]


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _filters(request, organisation) -> tuple[MatrixFilterForm, str, str]:
    from .models import Membership

    departments = (
        Membership.objects.filter(organisation=organisation, left_at__isnull=True)
        .exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )
    form = MatrixFilterForm(request.GET or None, departments=list(departments))
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["department"], form.cleaned_data["status"]
    return form, "", ""


def status_chart(matrix: Matrix):
    categories = [column.title for column in matrix.columns]
    parts = []
    for status in STATUSES:
        values = [matrix.count(column.course_id, status) for column in matrix.columns]
        parts.append(
            charts.Series(name=str(status.label), values=values, labels=[str(v) for v in values])
        )
    values = {"count": matrix.member_count, "department": matrix.department}
    if matrix.department:
        title = _("Required training by status in %(department)s") % values
        description = ngettext(
            "For each required course, how many of the %(count)s member in %(department)s "
            "are in each status. The table that follows gives the same numbers.",
            "For each required course, how many of the %(count)s members in %(department)s "
            "are in each status. The table that follows gives the same numbers.",
            matrix.member_count,
        )
    else:
        title = _("Required training by status")
        description = ngettext(
            "For each required course, how many of the %(count)s member are in each status. "
            "The table that follows gives the same numbers.",
            "For each required course, how many of the %(count)s members are in each status. "
            "The table that follows gives the same numbers.",
            matrix.member_count,
        )
    return charts.stacked_bar_chart(
        chart_id="matrix-chart",
        title=title,
        description=description % values,
        categories=categories,
        parts=parts,
        x_label=_("Members"),
        empty_text=_("This organisation requires no courses yet."),
    )


@login_required
def matrix(request, slug: str):
    organisation = managed_organisation(actor=request.user, slug=slug)
    form, department, status = _filters(request, organisation)
    data = compliance_matrix(
        actor=request.user, organisation=organisation, department=department, status=status
    )
    summary = [
        (column, [data.count(column.course_id, s) for s in STATUSES]) for column in data.columns
    ]
    context = {
        "organisation": organisation,
        "matrix": data,
        "form": form,
        "statuses": STATUSES,
        "summary": summary,
        "chart": status_chart(data),
        "query": request.GET.urlencode() if form.is_bound and form.is_valid() else "",
    }
    return _no_store(
        render(request, "organisations/matrix.html", context, status=400 if form.errors else 200)
    )


CSV_HEADER = [
    "Name",
    "Email",
    "Department",
    "Course",
    "Required",
    "Status",
    "Certificate awarded",
    "Valid until",
    "Progress (%)",
    "Completed",
]


def matrix_csv_text(data: Matrix) -> str:
    """One line per person and required course, then their shared courses; every text cell
    through csv_safe, dates as YYYY-MM-DD. The file is a stable format: its headers and values
    (the status column too) are in English whatever the page's language."""
    with use_language(settings.LANGUAGE_CODE):
        return _matrix_csv_text(data)


def _matrix_csv_text(data: Matrix) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in data.rows:
        for cell in (*row.cells, *row.shared):
            writer.writerow(
                [
                    csv_safe(row.name),
                    csv_safe(row.email),
                    csv_safe(row.department),
                    csv_safe(cell.course_title),
                    "yes" if cell.required else "no",
                    csv_safe(cell.text),
                    cell.awarded_on.isoformat() if cell.awarded_on else "",
                    cell.valid_until.isoformat() if cell.valid_until else "",
                    "" if cell.progress is None else cell.progress,
                    cell.completed_on.isoformat() if cell.completed_on else "",
                ]
            )
    return out.getvalue()


@login_required
def matrix_csv(request, slug: str):
    organisation = managed_organisation(actor=request.user, slug=slug)
    form, department, status = _filters(request, organisation)
    if form.errors:
        messages = " ".join(message for _field, message in form.error_summary())
        return _no_store(
            HttpResponse(messages, status=400, content_type="text/plain; charset=utf-8")
        )
    data = compliance_matrix(
        actor=request.user, organisation=organisation, department=department, status=status
    )
    body = matrix_csv_text(data)
    with transaction.atomic():
        audit_record(
            action=Action.MATRIX_EXPORTED,
            actor=request.user,
            target=organisation,
            payload={
                "organisation_id": organisation.pk,
                "people": len(data.rows),
                "department": department,
                "status": status,
            },
        )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="compliance-{organisation.slug}-{data.today.isoformat()}.csv"'
    )
    return _no_store(response)
