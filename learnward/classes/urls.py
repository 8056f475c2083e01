"""Learners' session pages, mounted at /sessions/ (.views)."""

from django.urls import path

from . import views

app_name = "classes"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:session_id>/book/", views.book, name="book"),
    path("bookings/<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("check-in/<str:token>/", views.check_in, name="check_in"),
]
