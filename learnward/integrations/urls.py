"""The page an API invitation's link opens, mounted at /integrations/."""

from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("invitations/<str:token>/sign-up/", views.invitation_signup, name="invitation_signup"),
]
