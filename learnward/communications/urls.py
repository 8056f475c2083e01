from django.urls import path

from . import views

app_name = "communications"
urlpatterns = [
    path("account/communications/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
