"""Staff pages for integrations, mounted at /staff/integrations/ (.staff_views)."""

from django.urls import path

from . import staff_views

app_name = "integrations_staff"

urlpatterns = [
    path("", staff_views.home, name="home"),
    path("tokens/", staff_views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", staff_views.token_revoke, name="token_revoke"),
    path("webhooks/", staff_views.webhook_create, name="webhook_create"),
    path("webhooks/<int:pk>/", staff_views.webhook, name="webhook"),
    path("webhooks/<int:pk>/rotate/", staff_views.webhook_rotate, name="webhook_rotate"),
    path("webhooks/<int:pk>/active/", staff_views.webhook_active, name="webhook_active"),
]
