"""Background work for rights: load by id, call a service or send one email.

The emails to a requester take ``language``: the language of the page the step was taken on,
for a requester who has no account (one with an account is written to in their saved language).
"""

from __future__ import annotations

from django_tasks import task

from learnward.privacy.rights import notify
from learnward.privacy.rights.models import AccountDeletion, RightsRequest, SubjectExport


@task()
def build_export(export_id: int) -> None:
    from learnward.privacy.rights.services import export_build

    export_build(export_id=export_id)


@task()
def send_export_ready(export_id: int) -> None:
    export = SubjectExport.objects.select_related("user").filter(pk=export_id).first()
    if export is not None and export.status == SubjectExport.Status.READY:
        notify.export_ready(export)


@task()
def send_deletion_scheduled(deletion_id: int) -> None:
    deletion = AccountDeletion.objects.select_related("user").filter(pk=deletion_id).first()
    if deletion is not None:
        notify.deletion_scheduled(deletion)


@task()
def send_identity_link(request_id: int, language: str | None = None) -> None:
    from learnward.privacy.rights.desk import identity_address, identity_token

    request = RightsRequest.objects.select_related("requester").filter(pk=request_id).first()
    if request is None or request.identity_confirmed_on is not None:
        return
    to = identity_address(request)
    if to:
        notify.identity_link(request, to=to, token=identity_token(request), language=language)


@task()
def send_extension_notice(request_id: int, language: str | None = None) -> None:
    from learnward.privacy.rights.desk import identity_address

    request = RightsRequest.objects.select_related("requester").filter(pk=request_id).first()
    if request is not None and identity_address(request):
        notify.extension_notice(request, to=identity_address(request), language=language)
