from django.urls import path

from learnward.privacy.records import staff_views as views

app_name = "privacy_staff"
urlpatterns = [
    path("records/", views.records_of_processing, name="ropa"),
    path("breaches/", views.breach_list, name="breaches"),
    path("breaches/new/", views.breach_new, name="breach_new"),
    path("breaches/<int:pk>/", views.breach_detail, name="breach"),
    path("breaches/<int:pk>/edit/", views.breach_edit, name="breach_edit"),
    path("breaches/<int:pk>/ico/", views.breach_ico, name="breach_ico"),
    path("breaches/<int:pk>/people/", views.breach_people, name="breach_people"),
    path("breaches/<int:pk>/notify/", views.breach_notify, name="breach_notify"),
]
