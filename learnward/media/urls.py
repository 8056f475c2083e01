"""The media library in the studio (/studio/courses/<slug>/media/) and the file-serving routes
(/media-files/<id>/)."""

from django.urls import include, path

from . import views

studio_patterns = (
    [
        path("", views.library, name="library"),
        path("embed/", views.embed_add, name="embed_add"),
        path("<int:pk>/", views.item, name="item"),
        path("<int:pk>/captions/", views.captions, name="captions"),
        path("<int:pk>/replace/", views.replace, name="replace"),
        path("<int:pk>/delete/", views.delete, name="delete"),
    ],
    "media",
)
file_patterns = (
    [
        path("<int:pk>/", views.serve_file, name="file"),
        path("<int:pk>/captions/", views.serve_captions, name="captions"),
    ],
    "media_files",
)

urlpatterns = [
    path("studio/courses/<slug:slug>/media/", include(studio_patterns)),
    path("media-files/", include(file_patterns)),
]
