from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from learnward.accounts.views import language_switch
from learnward.api import api
from learnward.catalog import urls as catalog_urls
from learnward.learning import urls as learning_urls

admin.site.site_header = f"{settings.PROVIDER_NAME} staff"
admin.site.site_title = "Learnward staff"

urlpatterns = [
    # The public verification API and pages first: Django tries patterns in order, and these are
    # the most requested routes (bench/serve.py). No pattern below matches their prefixes
    # (api/v1/, certificates/, verify/, .well-known/, credentials/), so the order changes nothing
    # else (tests/core/test_urls_order.py).
    path("api/v1/", api.urls),
    # The language switcher posts here from every page (learnward.accounts.views.language_switch).
    path("language/", language_switch, name="language_switch"),
]

# Every page exists in each language: /... in English, /nl/... in Dutch, /fr/... in French
# (docs/translation.md). The API above keeps one address and answers in the request's language.
urlpatterns += i18n_patterns(
    path("", include("learnward.certificates.urls")),
    path("", include("learnward.core.urls")),
    path("accounts/", include("learnward.accounts.urls")),
    # The catalog's namespace holds the course page too, which is learning's (it shows the
    # learner's progress): catalog:course at /courses/<slug>/.
    path(
        "courses/",
        include(
            (
                catalog_urls.urlpatterns + learning_urls.course_page_urlpatterns,
                catalog_urls.app_name,
            )
        ),
    ),
    path("", include("learnward.learning.urls")),
    path("", include("learnward.assessments.urls")),
    path("", include("learnward.assessments.studio_urls")),
    path("", include("learnward.communications.urls")),
    path("", include("learnward.notifications.urls")),
    path("cookies/", include("learnward.privacy.consent.urls")),
    path("privacy/my-data/", include("learnward.privacy.rights.urls")),
    path("staff/privacy/", include("learnward.privacy.rights.desk_urls")),
    path("staff/privacy/", include("learnward.privacy.records.staff_urls")),
    path("staff/insights/", include("learnward.insights.urls")),
    path("privacy/", include("learnward.privacy.records.urls")),
    path("support/", include("learnward.support.urls")),
    path("", include("learnward.commerce.urls")),
    path("staff/sales/", include("learnward.commerce.staff_urls")),
    path("organisations/", include("learnward.organisations.urls")),
    path("staff/organisations/", include("learnward.organisations.staff_urls")),
    path("sso/", include("learnward.sso.urls")),
    path("lti/", include("learnward.lti.urls")),
    path("staff/lti/", include("learnward.lti.staff_urls")),
    path("integrations/", include("learnward.integrations.urls")),
    path("staff/integrations/", include("learnward.integrations.staff_urls")),
    path("evaluations/", include("learnward.evaluations.urls")),
    path("ai/", include("learnward.ai.urls")),
    path("cpd/", include("learnward.cpd.urls")),
    path("staff/certificates/", include("learnward.certificates.staff_urls")),
    path("exams/", include("learnward.exams.urls")),
    # Package lessons: /staff/packages/ and the sandbox's /packages/ (learnward.packages).
    path("", include("learnward.packages.urls")),
    # Course media: the studio's library (/studio/courses/<slug>/media/) and /media-files/.
    path("", include("learnward.media.urls")),
    path("sessions/", include("learnward.classes.urls")),
    path("staff/sessions/", include("learnward.classes.staff_urls")),
    path("community/", include("learnward.community.urls")),
    path("studio/", include("learnward.studio.urls")),
    # Course import and export: /studio/import/, /studio/courses/<slug>/export/ (learnward.transfer).
    path("", include("learnward.transfer.urls")),
    path("admin/privacy/", include("learnward.privacy.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
