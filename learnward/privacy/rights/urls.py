from django.urls import path

from learnward.privacy.rights import views

app_name = "rights"
urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("download/", views.export_request, name="export_request"),
    path("download/<uuid:public_id>/", views.export_download, name="export_download"),
    path("delete/", views.delete_account, name="delete_account"),
    path("delete/cancel/", views.delete_cancel, name="delete_cancel"),
    path("restrict/", views.restrict, name="restrict"),
    path("restrict/lift/", views.restrict_lift, name="restrict_lift"),
    path("object/", views.object_to, name="object"),
    path("object/<int:pk>/withdraw/", views.object_withdraw, name="object_withdraw"),
    path("confirm/<str:token>/", views.identity_confirm, name="identity_confirm"),
]
