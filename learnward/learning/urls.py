from django.urls import path

from . import views, views_tutor

app_name = "learning"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("courses/<slug:slug>/enrol/", views.enrol, name="enrol"),
    path("courses/<slug:slug>/leave/", views.leave, name="leave"),
    path("courses/<slug:slug>/continue/", views.continue_course, name="continue"),
    path("courses/<slug:slug>/lessons/<int:lesson_id>/", views.lesson, name="lesson"),
    path(
        "courses/<slug:slug>/lessons/<int:lesson_id>/complete/",
        views.lesson_complete,
        name="lesson_complete",
    ),
    path("tutor/", views_tutor.tutor_home, name="tutor_home"),
    path("tutor/courses/<slug:slug>/", views_tutor.tutor_course, name="tutor_course"),
    path(
        "tutor/courses/<slug:slug>/learners/<int:enrolment_id>/",
        views_tutor.tutor_learner,
        name="tutor_learner",
    ),
]

# The course page keeps its catalog URL and name (catalog:course, /courses/<slug>/):
# learnward/urls.py adds these patterns to the catalog's namespace.
course_page_urlpatterns = [
    path("<slug:slug>/", views.course_detail, name="course"),
]
