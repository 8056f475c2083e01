"""Background work for notifications: email now and web push, from the worker."""

from django_tasks import task

from .models import Notification


@task()
def notification_email_task(notification_id: int) -> None:
    from .services import notification_email_send

    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is not None:
        notification_email_send(notification=notification)


@task()
def notification_push_task(notification_id: int, text: str) -> None:
    from .services import push_deliver

    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is not None:
        push_deliver(notification=notification, text=text)
