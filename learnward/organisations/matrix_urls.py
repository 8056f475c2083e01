"""The compliance matrix, under /organisations/<slug>/compliance/ (names in "organisations")."""

from django.urls import path

from . import matrix_views

urlpatterns: list = [
    path("", matrix_views.matrix, name="matrix"),
    path("export.csv", matrix_views.matrix_csv, name="matrix_csv"),
]
