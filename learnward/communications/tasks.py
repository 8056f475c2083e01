"""Background work for communications: sending a mailing, one batch per task run."""

from django.db import transaction
from django_tasks import task

from .models import Mailing


@task()
def mailing_send_task(mailing_id: int) -> None:
    """Send one batch; while more remain, enqueue the next run once this one has committed."""
    from .services import mailing_send_batch

    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is None:
        return
    if mailing_send_batch(mailing=mailing):
        transaction.on_commit(lambda: mailing_send_task.enqueue(mailing_id))
