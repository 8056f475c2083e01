from django.urls import path

from . import cookie_views

app_name = "cookies"
urlpatterns = [path("", cookie_views.cookie_settings, name="settings")]
