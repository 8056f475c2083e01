"""The session pages for teachers and staff, mounted at /staff/sessions/ (.staff_views)."""

from django.urls import path

from . import staff_views

app_name = "classes_staff"

urlpatterns = [
    path("", staff_views.sessions, name="sessions"),
    path("new/", staff_views.session_new, name="session_new"),
    path("<int:session_id>/", staff_views.session, name="session"),
    path("<int:session_id>/edit/", staff_views.session_edit, name="session_edit"),
    path("<int:session_id>/cancel/", staff_views.session_cancel, name="session_cancel"),
    path("<int:session_id>/book/", staff_views.book_person, name="book_person"),
    path("<int:session_id>/register/", staff_views.register, name="register"),
    path("<int:session_id>/check-in/", staff_views.qr, name="qr"),
    path("<int:session_id>/check-in/code/", staff_views.qr_code, name="qr_code"),
    path("bookings/<int:booking_id>/cancel/", staff_views.booking_cancel, name="booking_cancel"),
]
