"""Organisation pages: the manager's (members, invitations, seats, CSV upload; views.py), the
compliance matrix (matrix_views.py), accepting an invitation, and staff's (staff_views.py,
mounted at /staff/organisations/ by staff_urls.py)."""

from django.urls import include, path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("invitations/<str:token>/sign-up/", views.invitation_signup, name="invitation_signup"),
    path("memberships/<int:pk>/leave/", views.leave, name="leave"),
    path("memberships/<int:pk>/sharing/", views.sharing, name="sharing"),
    path("memberships/<int:pk>/digest/", views.digest, name="digest"),
    path("<slug:slug>/", views.home, name="home"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path("<slug:slug>/upload/", views.upload, name="upload"),
    path("<slug:slug>/upload/<str:upload_id>/", views.upload_preview, name="upload_preview"),
    path(
        "<slug:slug>/upload/<str:upload_id>/preview.csv",
        views.upload_preview_csv,
        name="upload_preview_csv",
    ),
    path(
        "<slug:slug>/invitations/<int:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("<slug:slug>/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("<slug:slug>/required/", views.required_add, name="required_add"),
    path("<slug:slug>/required/<int:pk>/", views.required_change, name="required_change"),
    path("<slug:slug>/required/<int:pk>/remove/", views.required_remove, name="required_remove"),
    path("<slug:slug>/compliance/", include("learnward.organisations.matrix_urls")),
]
