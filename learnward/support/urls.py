from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.sent, name="sent"),
    path("thread/<str:token>/", views.thread, name="thread"),
    path("desk/", views.desk_queue, name="desk"),
    path("desk/<int:pk>/", views.desk_detail, name="desk_detail"),
    path(
        "tutor/<slug:slug>/learners/<int:enrolment_id>/message/",
        views.message_learner,
        name="message_learner",
    ),
    path("<str:reference>/", views.detail, name="detail"),
]
