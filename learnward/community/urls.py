from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("", views.home, name="home"),
    path("join/", views.join, name="join"),
    path("leave/", views.leave, name="leave"),
    path("profile/", views.profile, name="profile"),
    path("members/<str:handle>/", views.member, name="member"),
    path("spaces/open/", views.space_open, name="space_open"),
    path("spaces/<int:space_id>/", views.space, name="space"),
    path("threads/<int:thread_id>/", views.thread, name="thread"),
    path("threads/<int:thread_id>/lock/", views.thread_lock, name="thread_lock"),
    path("threads/<int:thread_id>/answered/", views.thread_answered, name="thread_answered"),
    path("posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:post_id>/delete/", views.post_delete, name="post_delete"),
    path("posts/<int:post_id>/report/", views.post_report, name="post_report"),
    path("posts/<int:post_id>/react/", views.post_react, name="post_react"),
    path("posts/<int:post_id>/hide/", views.post_hide, name="post_hide"),
    path("posts/<int:post_id>/restore/", views.post_restore, name="post_restore"),
    path("moderation/", views.moderation, name="moderation"),
    path("reports/<int:report_id>/dismiss/", views.report_dismiss, name="report_dismiss"),
    path("members/<int:member_id>/suspend/", views.member_suspend, name="member_suspend"),
    path("suspensions/<int:suspension_id>/lift/", views.suspension_lift, name="suspension_lift"),
]
