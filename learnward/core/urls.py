from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("brand.css", views.brand_css, name="brand_css"),
    path("brand/logo.png", views.brand_logo, name="brand_logo"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/branding/", views.branding, name="branding"),
    path("staff/branding/signature.png", views.branding_signature, name="branding_signature"),
    path("staff/design/", views.design_gallery, name="design"),
]
