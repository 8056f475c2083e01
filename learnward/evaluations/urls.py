from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("<int:completion_id>/", views.evaluate, name="evaluate"),
    path("results/", views.results_list, name="results_list"),
    path("results/<slug:slug>/", views.results, name="results"),
]
