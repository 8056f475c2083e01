from django.urls import path

from learnward.privacy.records import notice_views

app_name = "privacy"
urlpatterns = [
    path("", notice_views.privacy_notice, name="notice"),
    path("versions/<int:number>/", notice_views.notice_version, name="notice_version"),
    path("notice/seen/", notice_views.notice_seen, name="notice_seen"),
    path("account/keep/", notice_views.keep_account, name="keep_account"),
]
