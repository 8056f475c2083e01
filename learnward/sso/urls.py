from django.urls import path

from . import views

app_name = "sso"
urlpatterns = [
    path("", views.organisation_sign_in, name="organisation"),
    path("organisation/<slug:slug>/", views.organisation_start, name="organisation_start"),
    path("start/<slug:slug>/", views.StartView.as_view(), name="start"),
    path("callback/", views.CallbackView.as_view(), name="callback"),
    path("link/", views.link, name="link"),
    path("link/cancel/", views.link_cancel, name="link_cancel"),
]
