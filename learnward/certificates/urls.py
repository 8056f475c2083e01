from django.urls import path

from . import views, views_badge, views_renewal

app_name = "certificates"
urlpatterns = [
    path("certificates/", views.my_certificates, name="list"),
    path("certificates/<str:code>/", views.certificate_detail, name="detail"),
    path("certificates/<str:code>/renew/", views_renewal.renew, name="renew"),
    path("certificates/<str:code>/pdf/", views.certificate_pdf, name="pdf"),
    path("certificates/<str:code>/print/", views.certificate_print, name="print"),
    path(
        "certificates/<str:code>/credential.json",
        views.certificate_credential_json,
        name="credential",
    ),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("verify/<str:code>/certificate.png", views.verify_thumbnail, name="thumbnail"),
    path(
        "verify/<str:code>/credential.json",
        views.verify_credential,
        name="public_credential",
    ),
    path(".well-known/did.json", views.did_json, name="did"),
    path("credentials/status/<int:number>", views.status_list, name="status_list"),
    path("credentials/badges/<str:code>.svg", views_badge.badge_image, name="badge_image"),
]
