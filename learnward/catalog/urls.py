from django.urls import path

from . import views

app_name = "catalog"
# learnward/urls.py adds the course page, "<slug>/" named "course", to this namespace.
urlpatterns = [
    path("", views.course_list, name="list"),
]
