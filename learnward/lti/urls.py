"""The tool's public endpoints, mounted at /lti/."""

from django.urls import path

from . import views

app_name = "lti"
urlpatterns = [
    path("jwks.json", views.jwks, name="jwks"),
    path("login/<uuid:platform>/", views.login_initiation, name="login"),
    path("launch/", views.launch, name="launch"),
    path("deep-link/", views.deep_link_pick, name="deep_link_pick"),
]
