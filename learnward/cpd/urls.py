from django.urls import path

from . import views

app_name = "cpd"
urlpatterns = [
    path("", views.record, name="record"),
    path("export/", views.export, name="export"),
    path("activities/new/", views.activity_add, name="activity_add"),
    path("activities/<int:activity_id>/", views.activity_edit, name="activity_edit"),
    path("activities/<int:activity_id>/delete/", views.activity_delete, name="activity_delete"),
    path("reflect/courses/<int:course_id>/", views.reflect_course, name="reflect_course"),
    path("reflect/activities/<int:activity_id>/", views.reflect_activity, name="reflect_activity"),
]
