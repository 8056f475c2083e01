from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from learnward.api import api

admin.site.site_header = f"{settings.PROVIDER_NAME} staff"
admin.site.site_title = "Learnward staff"

urlpatterns = [
    path("", include("learnward.core.urls")),
    path("accounts/", include("learnward.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
