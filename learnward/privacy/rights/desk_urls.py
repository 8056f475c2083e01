from django.urls import path

from learnward.privacy.rights import desk_views as views

app_name = "dpo"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/identity/link/", views.request_send_link, name="request_send_link"),
    path("requests/<int:pk>/identity/evidence/", views.request_evidence, name="request_evidence"),
    path("requests/<int:pk>/pause/", views.request_pause, name="request_pause"),
    path("requests/<int:pk>/resume/", views.request_resume, name="request_resume"),
    path("requests/<int:pk>/extend/", views.request_extend, name="request_extend"),
    path("requests/<int:pk>/close/", views.request_close, name="request_close"),
    path("subjects/", views.subject, name="subject"),
    path("subjects/erase/", views.subject_erase_view, name="subject_erase"),
    path("subjects/restrict/", views.subject_restrict, name="subject_restrict"),
    path("subjects/export/", views.subject_export, name="subject_export"),
    # Last: a lookup token is never "erase", "restrict" or "export".
    path("subjects/<str:token>/", views.subject_found, name="subject_found"),
]
