"""The LTI staff pages, mounted at /staff/lti/."""

from django.urls import path

from . import views

app_name = "lti_staff"
urlpatterns = [
    path("", views.platforms, name="platforms"),
    path("add/", views.platform_add, name="platform_add"),
    path("<int:pk>/", views.platform, name="platform"),
]
