from django.urls import path

from . import views

app_name = "studio"
course = "courses/<slug:slug>/"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.course_new, name="course_new"),
    path(course, views.outline, name="outline"),
    path(f"{course}modules/add/", views.module_add_view, name="module_add"),
    path(
        f"{course}modules/<int:module_id>/rename/", views.module_rename_view, name="module_rename"
    ),
    path(f"{course}modules/<int:module_id>/move/", views.module_move_view, name="module_move"),
    path(
        f"{course}modules/<int:module_id>/delete/", views.module_delete_view, name="module_delete"
    ),
    path(f"{course}modules/<int:module_id>/lessons/add/", views.lesson_add_view, name="lesson_add"),
    path(f"{course}lessons/<int:lesson_id>/", views.lesson_edit, name="lesson_edit"),
    path(
        f"{course}lessons/<int:lesson_id>/autosave/", views.lesson_autosave, name="lesson_autosave"
    ),
    path(f"{course}lessons/<int:lesson_id>/preview/", views.lesson_preview, name="lesson_preview"),
    path(
        f"{course}lessons/<int:lesson_id>/rename/", views.lesson_rename_view, name="lesson_rename"
    ),
    path(f"{course}lessons/<int:lesson_id>/move/", views.lesson_move_view, name="lesson_move"),
    path(
        f"{course}lessons/<int:lesson_id>/delete/", views.lesson_delete_view, name="lesson_delete"
    ),
    path(f"{course}reorder/", views.outline_reorder_view, name="reorder"),
    path(f"{course}preview/", views.render_preview, name="render_preview"),
    path(f"{course}settings/", views.settings_view, name="settings"),
    path(f"{course}publish/", views.publish, name="publish"),
    path(f"{course}versions/", views.versions, name="versions"),
    path(f"{course}duplicate/", views.duplicate, name="duplicate"),
]
