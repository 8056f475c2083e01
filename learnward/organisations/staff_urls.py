"""The organisations pages for staff, mounted at /staff/organisations/ (.staff_views)."""

from django.urls import path

from . import staff_views

app_name = "organisations_staff"

urlpatterns = [
    path("", staff_views.organisations, name="organisations"),
    path("<slug:slug>/", staff_views.organisation, name="organisation"),
    path("<slug:slug>/domains/", staff_views.domain_add, name="domain_add"),
    path("<slug:slug>/pools/", staff_views.pool_create, name="pool_create"),
    path("<slug:slug>/managers/", staff_views.manager_invite, name="manager_invite"),
    path("<slug:slug>/enrol/", staff_views.enrol, name="enrol"),
]
