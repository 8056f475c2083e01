from django.urls import path

from . import views

app_name = "transfer"
urlpatterns = [
    path("studio/import/", views.import_course, name="import"),
    path("studio/courses/<slug:slug>/export/", views.export_course, name="export"),
]
