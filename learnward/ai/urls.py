from django.urls import path

from . import views

app_name = "ai"
urlpatterns = [
    path("", views.ai_settings, name="settings"),
    path("ask/<slug:slug>/", views.ask, name="ask"),
]
