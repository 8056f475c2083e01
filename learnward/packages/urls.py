from django.urls import path

from . import views

app_name = "packages"
urlpatterns = [
    path("staff/packages/", views.package_list, name="list"),
    path("packages/content/<str:token>/<path:path>", views.content, name="content"),
    path("packages/runtime/<str:token>/commit", views.commit, name="commit"),
    path("packages/cmi5/<str:token>/<slug:session>/fetch", views.cmi5_fetch, name="cmi5_fetch"),
    path("packages/xapi/", views.xapi_root, name="xapi_root"),
    path("packages/xapi/about", views.xapi_about, name="xapi_about"),
    path("packages/xapi/statements", views.xapi_statements, name="xapi_statements"),
    path("packages/xapi/activities/state", views.xapi_state, name="xapi_state"),
]
