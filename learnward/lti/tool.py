"""The glue between pylti1p3 and Learnward: the registered platforms as pylti1p3's tool
configuration, the launch and login objects with a cache-backed state store and the checked
requests session, the Deep Linking response and the grade service.

pylti1p3 does the protocol: the OIDC login-initiation redirect (state cookie, nonce), and the
launch's checks (state, the id_token's RS256 signature against the platform's key set, expiry,
issuer and client id, deployment, message claims). What it leaves to the tool is done in
:mod:`learnward.lti.services`: a nonce is accepted once only (``LtiNonce``).
"""

from __future__ import annotations

import typing as t
import uuid

from django.conf import settings
from django.urls import reverse
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.contrib.django import DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.contrib.django.launch_data_storage.cache import DjangoCacheDataStorage
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.registration import Registration
from pylti1p3.service_connector import ServiceConnector
from pylti1p3.tool_config.abstract import ToolConfAbstract

from learnward.core.i18n import use_language

from .keys import tool_key
from .models import LtiDeployment, LtiPlatform
from .outbound import PlatformSession

__all__ = ["LtiException"]

# A launch's data (its claims) is kept in the cache only while the learner could still pick a
# course on the Deep Linking page; nothing reads it later.
LAUNCH_DATA_SECONDS = 30 * 60
KEY_SET_CACHE_SECONDS = 10 * 60

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
COURSE_PARAM = "learnward_course"
STAFF_ROLES = (
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator",
    "http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper",
    "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
    "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator",
)


def absolute(name: str, **kwargs) -> str:
    """The tool's address ``name``: unprefixed, whatever the language of the page, as it is
    registered with the platforms (a learner's pages then follow their saved language)."""
    with use_language(settings.LANGUAGE_CODE):
        return settings.BASE_URL.rstrip("/") + reverse(name, kwargs=kwargs or None)


def registration_for(platform: LtiPlatform) -> Registration:
    key = tool_key()
    registration = (
        Registration()
        .set_issuer(platform.issuer)
        .set_client_id(platform.client_id)
        .set_auth_login_url(platform.auth_login_url)
        .set_auth_token_url(platform.auth_token_url)
        .set_key_set_url(platform.jwks_url)
        .set_tool_private_key(key.private_pem)
        .set_tool_public_key(key.public_pem)
    )
    if platform.audience:
        registration.set_auth_audience(platform.audience)
    return registration


class ToolConf(ToolConfAbstract):
    """The enabled platforms, by issuer and client id (and, at login initiation, by the uuid in
    the login URL we gave the platform)."""

    def __init__(self, platform_uuid: uuid.UUID | None = None) -> None:
        super().__init__()
        self.platform_uuid = platform_uuid
        self.platform: LtiPlatform | None = None

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def _find(self, **lookups) -> Registration | None:
        if self.platform_uuid is not None:
            lookups["uuid"] = self.platform_uuid
        found = LtiPlatform.objects.filter(enabled=True, **lookups).order_by("pk")
        self.platform = found.first() if self.platform_uuid or found.count() == 1 else None
        return registration_for(self.platform) if self.platform else None

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        return self._find(issuer=iss)

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        if not client_id:
            return self._find(issuer=iss)
        return self._find(issuer=iss, client_id=client_id)

    def find_deployment(self, iss, deployment_id):
        return None  # every platform is found by its client id too

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        known = LtiDeployment.objects.filter(
            platform__issuer=iss,
            platform__client_id=client_id,
            platform__enabled=True,
            deployment_id=deployment_id,
        ).exists()
        return Deployment().set_deployment_id(deployment_id) if known else None


def _storage() -> DjangoCacheDataStorage:
    return DjangoCacheDataStorage(cache_name="default")


def oidc_login(request, platform_uuid: uuid.UUID) -> tuple[DjangoOIDCLogin, ToolConf]:
    conf = ToolConf(platform_uuid)
    login = DjangoOIDCLogin(request, conf)
    login.set_launch_data_storage(_storage())
    login.set_launch_data_lifetime(LAUNCH_DATA_SECONDS)  # the state and nonce it hands out
    return login, conf


def message_launch(request) -> tuple[DjangoMessageLaunch, ToolConf]:
    conf = ToolConf()
    launch = DjangoMessageLaunch(
        request, conf, launch_data_storage=_storage(), requests_session=PlatformSession()
    )
    launch.set_launch_data_lifetime(LAUNCH_DATA_SECONDS)
    launch.set_public_key_caching(_storage(), cache_lifetime=KEY_SET_CACHE_SECONDS)
    return launch, conf


def cached_launch(request, launch_id: str) -> tuple[DjangoMessageLaunch, ToolConf]:
    conf = ToolConf()
    launch = DjangoMessageLaunch.from_cache(
        launch_id,
        request,
        conf,
        launch_data_storage=_storage(),
        requests_session=PlatformSession(),
    )
    return launch, conf


class CourseLink(DeepLinkResource):
    """An ``ltiResourceLink`` that asks to open in a new window (see docs/integrations.md: the
    learner's Learnward session cookie is not sent inside another site's frame)."""

    def to_dict(self) -> dict[str, object]:
        res = super().to_dict()
        res["window"] = {"targetName": "learnward"}
        return res


def course_content_item(course) -> CourseLink:
    item = CourseLink()
    item.set_title(course.title)
    item.set_url(absolute("lti:launch"))
    item.set_custom_params({COURSE_PARAM: course.slug})
    item.set_lineitem(
        LineItem()
        .set_score_maximum(100)
        .set_label(course.title)
        .set_resource_id(f"learnward-course-{course.pk}")
    )
    return item


def deep_link_response(launch: DjangoMessageLaunch, course) -> tuple[str, str]:
    """The signed ``LtiDeepLinkingResponse`` JWT for ``course`` and where to post it."""
    deep_link = launch.get_deep_link()
    jwt_value = deep_link.get_response_jwt([course_content_item(course)])
    settings_claim = launch.get_launch_data()[
        "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
    ]
    return jwt_value, settings_claim["deep_link_return_url"]


def post_score(*, platform: LtiPlatform, lineitem_url: str, scopes: t.Sequence[str], grade: Grade):
    """Post ``grade`` to the line item's scores endpoint, with an access token from the platform's
    token URL (client-credentials grant, the tool's signed JWT as client assertion)."""
    connector = ServiceConnector(registration_for(platform), PlatformSession())
    service = AssignmentsGradesService(connector, {"scope": list(scopes), "lineitem": lineitem_url})
    return service.put_grade(grade)
