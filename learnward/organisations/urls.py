"""Organisation pages: the manager's (members, invitations, seats, CSV upload; views.py), the
compliance matrix (matrix_views.py), accepting an invitation, and staff's (staff_views.py)."""

from django.urls import include, path

app_name = "organisations"

urlpatterns = [
    # path("", views.mine, name="mine"), ... (views.py)
    path("<slug:slug>/compliance/", include("learnward.organisations.matrix_urls")),
]
