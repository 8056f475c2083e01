from django.urls import path

from learnward.privacy.consent import views as cookie_views

app_name = "cookies"
urlpatterns = [path("", cookie_views.cookie_settings, name="settings")]
