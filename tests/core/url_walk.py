"""Every URL pattern of the site, filled with another person's objects: the walk behind
tests/core/test_half_signed_in_staff.py.

:func:`urls_to_walk` takes every pattern from the URL resolver. A pattern without path parameters
is walked as it is; one with parameters must be filled in ``FILL`` (with the objects of
:func:`build_world`) or listed in ``NOT_WALKED`` with the reason it needs no walk, or the walk
fails naming it: a new view cannot escape. The admin's model pages are filled generically (any
row of the model), so a new model admin is walked without an entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from tests.privacy.subject_everywhere import Everywhere, build_subject_everywhere

# --- the world ---------------------------------------------------------------------------------------


@dataclass
class World:
    other: Everywhere  # the person whose data must not leak
    draft: object  # an unpublished course: only staff may preview it
    draft_lesson: object
    objection: object  # the other person's current objection
    rights_request: object
    breach: object
    enquiry: object
    attempt: object
    activity: object
    order: object  # the other person's paid order, its invoice and credit note
    seats_order: object


def build_world(*, client, settings, tmp_path) -> World:
    """Another person with data everywhere, a draft course, and three evaluations with shared
    comments (results are shown from three responses on)."""
    from learnward.accounts.models import User
    from learnward.assessments.models import Attempt
    from learnward.certificates.codes import new_code
    from learnward.certificates.models import Certificate
    from learnward.evaluations.services import evaluation_submit
    from learnward.learning.models import Completion, Enrolment
    from learnward.privacy.records.models import Breach
    from learnward.privacy.rights.models import RightsRequest
    from learnward.privacy.rights.services import objection_record
    from learnward.support.models import Enquiry
    from tests.catalog.factories import lessons_of, make_course

    settings.ISSUER_KEY = ""
    settings.ISSUER_KEY_FILE = tmp_path / "keys" / "issuer_ed25519"
    settings.BASE_URL = "http://testserver"
    settings.VERIFY_RATE_LIMIT = "1000/minute"
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    other = build_subject_everywhere(client=client, settings=settings)
    client.logout()
    # The markers overwrote the certificate's code and the device keys too: real ones again.
    Certificate.objects.filter(pk=other.certificate.pk).update(code=new_code())
    other.certificate.refresh_from_db()
    for device in TOTPDevice.objects.all():
        TOTPDevice.objects.filter(pk=device.pk).update(key=random_hex(20))
    # ...and the orders' references and the documents' numbers, which the pages look up.
    from learnward.commerce.models import CreditNote, Invoice, Order

    for n, order in enumerate(Order.objects.order_by("pk")):
        Order.objects.filter(pk=order.pk).update(reference=f"ORD-WALK-{n:04d}")
    for model, prefix in ((Invoice, "INV"), (CreditNote, "CN")):
        for document in model.objects.all():
            model.objects.filter(pk=document.pk).update(number=f"{prefix}-{document.sequence:06d}")
    course = other.course
    # Evaluation results are shown from three responses on: three more, with shared comments.
    for n in range(3):
        user = User.objects.create_user(
            f"evaluator{n}@example.test",
            "correct horse battery",
            display_name=other.markers.new("evaluator name"),
            email_verified_at=timezone.now(),
        )
        enrolment = Enrolment.objects.create(user=user, course=course, enrolled_at=timezone.now())
        completion = Completion.objects.create(enrolment=enrolment, completed_at=timezone.now())
        evaluation_submit(
            user=user,
            completion=completion,
            rating=4,
            comments=other.markers.new("shared evaluation comment"),
            share_comments=True,
        )
    draft = make_course(
        title=other.markers.new("draft course title"),
        published=False,
        modules=1,
        lessons_per_module=1,
    )
    draft_lesson = lessons_of(draft)[0]
    draft_lesson.body_markdown = other.markers.new("draft lesson body")
    draft_lesson.save()
    objection = objection_record(
        user=other.user,
        purpose="evaluation",
        actor=other.user,
        reason=other.markers.new("current objection reason"),
    )
    return World(
        other=other,
        draft=draft,
        draft_lesson=draft_lesson,
        objection=objection,
        rights_request=RightsRequest.objects.filter(requester=other.user).first(),
        breach=Breach.objects.first(),
        enquiry=Enquiry.objects.filter(user=other.user).first(),
        attempt=Attempt.objects.filter(user=other.user).first(),
        activity=other.extra["cpd_activity"],
        order=Order.objects.filter(user=other.user, seats=False).first(),
        seats_order=Order.objects.filter(user=other.user, seats=True).first(),
    )


# --- the walk ---------------------------------------------------------------------------------------

_ROUTE_PARAM = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
_ADMIN_MODEL = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/")


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the route itself when the pattern has no name
    route: str  # the whole pattern, from the root
    params: tuple[str, ...]

    def url(self, values: dict[str, object]) -> str:
        def value(match: re.Match) -> str:
            return str(values[match["name"]])

        path = _ROUTE_PARAM.sub(value, _REGEX_PARAM.sub(value, self.route))
        return "/" + path.replace("^", "").replace("$", "")


def _params(pattern) -> list[str]:
    pattern = pattern.pattern
    if hasattr(pattern, "converters") and pattern.converters:
        return list(pattern.converters)
    regex = pattern.regex
    return list(regex.groupindex)


def walk(resolver=None, prefix: str = "", namespace: str = "", params=()) -> Iterator[Route]:
    """Every URL pattern reachable from the root resolver, with its whole route."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        names = (*params, *_params(entry))
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, route, inner, names)
        else:
            assert isinstance(entry, URLPattern)
            key = f"{namespace}:{entry.name}" if entry.name else route
            yield Route(key=key, route=route, params=tuple(dict.fromkeys(names)))


Fill = Callable[[World, object], dict[str, object]]  # (world, the acting user) -> values


def _code(w: World, actor) -> dict[str, object]:
    return {"code": w.other.certificate.code}


def _dpo_request(w: World, actor) -> dict[str, object]:
    return {"pk": w.rights_request.pk}


def _breach(w: World, actor) -> dict[str, object]:
    return {"pk": w.breach.pk}


def _draft(w: World, actor) -> dict[str, object]:
    return {"slug": w.draft.slug}


def _draft_lesson(w: World, actor) -> dict[str, object]:
    return {"slug": w.draft.slug, "lesson_id": w.draft_lesson.pk}


def _studio_module(w: World, actor) -> dict[str, object]:
    """The draft course's first module in the studio (its draft made on first use)."""
    from learnward.studio.models import DraftModule
    from learnward.studio.services import draft_ensure

    draft_ensure(course=w.draft)
    module = DraftModule.objects.filter(course=w.draft).order_by("pk").first()
    return {"slug": w.draft.slug, "module_id": module.pk}


def _studio_lesson(w: World, actor) -> dict[str, object]:
    from learnward.studio.models import DraftLesson
    from learnward.studio.services import draft_ensure

    draft_ensure(course=w.draft)
    lesson = DraftLesson.objects.filter(module__course=w.draft).order_by("pk").first()
    return {"slug": w.draft.slug, "lesson_id": lesson.pk}


def _course(w: World, actor) -> dict[str, object]:
    return {"slug": w.other.course.slug}


def _activity(w: World, actor) -> dict[str, object]:
    return {"activity_id": w.activity.pk}


def _exam_result(w: World):
    """The other person's own exam result (tests/privacy/subject_everywhere.py)."""
    from learnward.exams.models import ExamResult

    return ExamResult.objects.filter(user=w.other.user).first()


def _exam_sitting(w: World, actor) -> dict:
    return {"pk": _exam_result(w).sitting_id}


def _organisation(w: World, actor) -> dict[str, str]:
    """The other person's organisation (they manage it)."""
    return {"slug": w.other.extra["organisations"].slug}


def _membership(w: World):
    return w.other.extra["organisation_membership"]


def _invitation(w: World):
    from learnward.organisations.models import Invitation

    return Invitation.objects.filter(organisation=w.other.extra["organisations"]).first()


def _order(w: World, actor) -> dict:
    return {"reference": w.order.reference}


def _invoice(w: World, actor) -> dict:
    return {"number": w.order.invoice.number}


def _sso_provider():
    from learnward.sso.models import IdentityProvider

    return IdentityProvider.objects.order_by("pk").first()


def _class_session(w: World, actor) -> dict:
    """The session of the other person's course that they booked and attended."""
    from learnward.classes.models import Session

    return {"session_id": Session.objects.filter(course=w.other.course).first().pk}


def _class_booking(w: World, actor) -> dict:
    from learnward.classes.models import Booking

    return {"booking_id": Booking.objects.filter(user=w.other.user).first().pk}


def _checkin_token(w: World, actor) -> dict:
    from learnward.classes.checkin import make_token

    return {"token": make_token(session_id=_class_session(w, actor)["session_id"])}


def _community_thread(w: World):
    """The thread the other person opened in the community (tests/privacy/subject_everywhere.py)."""
    return w.other.extra["community"]


def _community_post(w: World, actor) -> dict:
    from learnward.community.models import Post

    return {"post_id": Post.objects.filter(thread=_community_thread(w)).order_by("pk").first().pk}


def _community_member(w: World):
    from learnward.community.models import Member

    return Member.objects.get(user=w.other.user)


def _community_report(w: World, actor) -> dict:
    from learnward.community.models import Report

    return {"report_id": Report.objects.order_by("pk").first().pk}


def _community_suspension(w: World, actor) -> dict:
    from learnward.community.models import Suspension

    return {"suspension_id": Suspension.objects.order_by("pk").first().pk}


def _media(w: World, actor) -> dict[str, object]:
    """The media item the other person uploaded to their course (subject_everywhere)."""
    from learnward.catalog.models import MediaItem

    return {"pk": MediaItem.objects.filter(course=w.other.course).order_by("pk").first().pk}


def _media_in_course(w: World, actor) -> dict[str, object]:
    return {**_course(w, actor), **_media(w, actor)}


def _bank_question(w: World, actor) -> dict[str, object]:
    from learnward.assessments.models import Question

    question = Question.objects.filter(course=w.other.course).order_by("pk").first()
    return {"slug": w.other.course.slug, "question_id": question.pk}


def _quiz(w: World, actor) -> dict[str, object]:
    # The course's final assessment, asked for as a quiz: the pages must not show it either.
    return {"slug": w.other.course.slug, "quiz_id": w.other.course.assessment.pk}


def _essay_answer(w: World, actor) -> dict[str, object]:
    from learnward.assessments.models import Answer

    answer = Answer.objects.filter(attempt__user=w.other.user, question__kind="essay").first()
    return {"answer_id": answer.pk}


# Every pattern with path parameters, filled with the other person's objects (or a draft course,
# which only staff may preview).
FILL: dict[str, Fill] = {
    **{
        f"studio:{name}": _draft
        for name in ("outline", "module_add", "reorder", "render_preview", "settings")
    },
    **{f"studio:{name}": _draft for name in ("publish", "versions", "duplicate")},
    **{
        f"studio:{name}": _studio_module
        for name in ("module_rename", "module_move", "module_delete", "lesson_add")
    },
    **{
        f"studio:{name}": _studio_lesson
        for name in (
            "lesson_edit",
            "lesson_autosave",
            "lesson_preview",
            "lesson_rename",
            "lesson_move",
            "lesson_delete",
        )
    },
    "media:library": _draft,
    "media:embed_add": _draft,
    "media:item": _media_in_course,
    "media:captions": _media_in_course,
    "media:replace": _media_in_course,
    "media:delete": _media_in_course,
    "media_files:file": _media,
    "media_files:captions": _media,
    "catalog:course": _draft,
    "learning:enrol": _draft,
    "learning:leave": _course,
    "learning:continue": _course,
    "learning:lesson": _draft_lesson,
    "learning:lesson_complete": _draft_lesson,
    "learning:tutor_course": _course,
    "learning:tutor_learner": lambda w, actor: {
        "slug": w.other.course.slug,
        "enrolment_id": w.other.enrolment.pk,
    },
    "transfer:export": _draft,
    "support:message_learner": lambda w, actor: {
        "slug": w.other.course.slug,
        "enrolment_id": w.other.enrolment.pk,
    },
    "assessments:overview": _draft,
    "assessments:start": _draft,
    "assessments:attempt": lambda w, actor: {"attempt_id": w.attempt.pk},
    "assessments:result": lambda w, actor: {"attempt_id": w.attempt.pk},
    "assessments:quiz": _quiz,
    "assessments:quiz_start": _quiz,
    "assessments_studio:bank": _course,
    "assessments_studio:question_new": lambda w, actor: {
        "slug": w.other.course.slug,
        "kind": "single",
    },
    "assessments_studio:question": _bank_question,
    "assessments_studio:question_retire": _bank_question,
    "assessments_studio:question_delete": _bank_question,
    "assessments_studio:assessment": _course,
    "assessments_studio:quiz_new": _course,
    "assessments_studio:quiz": _quiz,
    "assessments_studio:analytics": _course,
    "assessments_studio:marking_answer": _essay_answer,
    "certificates:detail": _code,
    "certificates:renew": _code,
    "certificates:pdf": _code,
    "certificates:print": _code,
    "certificates:credential": _code,
    "certificates:verify": _code,
    "certificates:badge_image": _code,
    "certificates:thumbnail": _code,
    "certificates:public_credential": _code,
    "certificates:status_list": lambda w, actor: {"number": w.other.certificate.status_list},
    "rights:export_download": lambda w, actor: {"public_id": w.other.export.public_id},
    "rights:object_withdraw": lambda w, actor: {"pk": w.objection.pk},
    "dpo:request": _dpo_request,
    "dpo:request_send_link": _dpo_request,
    "dpo:request_evidence": _dpo_request,
    "dpo:request_pause": _dpo_request,
    "dpo:request_resume": _dpo_request,
    "dpo:request_extend": _dpo_request,
    "dpo:request_close": _dpo_request,
    "privacy_staff:breach": _breach,
    "privacy_staff:breach_edit": _breach,
    "privacy_staff:breach_ico": _breach,
    "privacy_staff:breach_people": _breach,
    "privacy_staff:breach_notify": _breach,
    "insights:export": lambda w, actor: {"chart": "activity"},
    "privacy:notice_version": lambda w, actor: {"number": _notice_number()},
    "support:desk_detail": lambda w, actor: {"pk": w.enquiry.pk},
    "support:detail": lambda w, actor: {"reference": w.enquiry.reference},
    "evaluations:evaluate": lambda w, actor: {"completion_id": w.other.completion.pk},
    "evaluations:results": _course,
    "ai:ask": _draft,
    "cpd:activity_edit": _activity,
    "cpd:activity_delete": _activity,
    "cpd:reflect_course": lambda w, actor: {"course_id": w.other.course.pk},
    "cpd:reflect_activity": _activity,
    "api:verify_certificate": _code,
    "commerce:order": _order,
    "commerce:order_pay": _order,
    "commerce:order_return": _order,
    "commerce:proforma_pdf": _order,
    "commerce:seat_codes": lambda w, actor: {"reference": w.seats_order.reference},
    "commerce:invoice_pdf": _invoice,
    "commerce:credit_note_pdf": lambda w, actor: {
        "number": w.order.invoice.credit_notes.get().number
    },
    "commerce:buy": lambda w, actor: {"slug": w.order.product.slug},
    "commerce:buy_seats": lambda w, actor: {"slug": w.order.product.slug},
    "organisations:leave": lambda w, actor: {"pk": _membership(w).pk},
    "organisations:sharing": lambda w, actor: {"pk": _membership(w).pk},
    "organisations:digest": lambda w, actor: {"pk": _membership(w).pk},
    "organisations:home": _organisation,
    "organisations:matrix": _organisation,
    "organisations:matrix_csv": _organisation,
    "organisations:invite": _organisation,
    "organisations:upload": _organisation,
    "organisations:required_add": _organisation,
    "organisations:upload_preview": lambda w, actor: {**_organisation(w, actor), "upload_id": "x"},
    "organisations:upload_preview_csv": lambda w, actor: {
        **_organisation(w, actor),
        "upload_id": "x",
    },
    "organisations:invitation_withdraw": lambda w, actor: {
        **_organisation(w, actor),
        "pk": _invitation(w).pk,
    },
    "organisations:member_remove": lambda w, actor: {
        **_organisation(w, actor),
        "pk": _membership(w).pk,
    },
    "organisations:required_change": lambda w, actor: {
        **_organisation(w, actor),
        "pk": w.other.extra["organisation_requirement"].pk,
    },
    "organisations:required_remove": lambda w, actor: {
        **_organisation(w, actor),
        "pk": w.other.extra["organisation_requirement"].pk,
    },
    "organisations_staff:organisation": _organisation,
    "organisations_staff:domain_add": _organisation,
    "organisations_staff:pool_create": _organisation,
    "organisations_staff:manager_invite": _organisation,
    "organisations_staff:enrol": _organisation,
    "certificates_staff:issue_preview": lambda w, actor: {"upload_id": "x"},
    "certificates_staff:issue_preview_csv": lambda w, actor: {"upload_id": "x"},
    "exams:sitting": _exam_sitting,
    "exams:marks_sheet": _exam_sitting,
    "exams:upload": _exam_sitting,
    "exams:release": _exam_sitting,
    "exams:upload_preview": lambda w, actor: {**_exam_sitting(w, actor), "upload_id": "x"},
    "exams:upload_preview_csv": lambda w, actor: {**_exam_sitting(w, actor), "upload_id": "x"},
    "exams:moderate": lambda w, actor: {
        **_exam_sitting(w, actor),
        "result_pk": _exam_result(w).pk,
    },
    "commerce_staff:order": _order,
    "commerce_staff:order_mark_paid": _order,
    "commerce_staff:order_cancel": _order,
    "commerce_staff:invoice": _invoice,
    "commerce_staff:invoice_refund": _invoice,
    # The admin's old privacy addresses: permanent redirects to the new ones, for anyone.
    "admin/privacy/<slug:model>/": lambda w, actor: {"model": "breach"},
    "admin/privacy/<slug:model>/<path:rest>": lambda w, actor: {
        "model": "breach",
        "rest": f"{w.breach.pk}/change/",
    },
    "dpo:subject_found": lambda w, actor: {"token": _lookup_token(w, actor)},
    "admin:view_on_site": lambda w, actor: {
        "content_type_id": ContentType.objects.get_for_model(w.other.certificate).pk,
        "object_id": w.other.certificate.pk,
    },
    "admin:app_list": lambda w, actor: {"app_label": "certificates"},
    "admin/(?P<url>.*)$": lambda w, actor: {"url": "no-such-page/"},
    # The other person's organisation's identity provider (tests/privacy/subject_everywhere.py).
    "sso:start": lambda w, actor: {"slug": _sso_provider().slug},
    "sso:organisation_start": lambda w, actor: {"slug": _sso_provider().organisation.slug},
    # The platform the other person launched a course from (tests/privacy/subject_everywhere.py).
    "lti_staff:platform": lambda w, actor: {"pk": _lti_platform().pk},
    # Staff pages for the API tokens and webhooks the other person made (as staff).
    "integrations_staff:token_revoke": lambda w, actor: {"pk": _api_token().pk},
    "integrations_staff:webhook": lambda w, actor: {"pk": w.other.extra["integrations"].pk},
    "integrations_staff:webhook_rotate": lambda w, actor: {"pk": w.other.extra["integrations"].pk},
    "integrations_staff:webhook_active": lambda w, actor: {"pk": w.other.extra["integrations"].pk},
    # The community: the other person's thread, posts, profile, report and suspension.
    "community:member": lambda w, actor: {"handle": _community_member(w).handle},
    "community:space": lambda w, actor: {"space_id": _community_thread(w).space_id},
    "community:thread": lambda w, actor: {"thread_id": _community_thread(w).pk},
    "community:thread_lock": lambda w, actor: {"thread_id": _community_thread(w).pk},
    "community:thread_answered": lambda w, actor: {"thread_id": _community_thread(w).pk},
    "community:post_edit": _community_post,
    "community:post_delete": _community_post,
    "community:post_report": _community_post,
    "community:post_react": _community_post,
    "community:post_hide": _community_post,
    "community:post_restore": _community_post,
    "community:report_dismiss": _community_report,
    "community:member_suspend": lambda w, actor: {"member_id": _community_member(w).pk},
    "community:suspension_lift": _community_suspension,
    # The other person's notification and push device (tests/privacy/subject_everywhere.py).
    "notifications:mark_read": lambda w, actor: {
        "notification_id": w.other.user.notifications.values_list("pk", flat=True).first()
    },
    "notifications:device_off": lambda w, actor: {
        "device_id": w.other.user.push_subscriptions.values_list("pk", flat=True).first()
    },
    # Classes and sessions: the other person's session, booking and a fresh check-in code.
    "classes:book": _class_session,
    "classes:cancel": _class_booking,
    "classes:check_in": _checkin_token,
    "classes_staff:session": _class_session,
    "classes_staff:session_edit": _class_session,
    "classes_staff:session_cancel": _class_session,
    "classes_staff:book_person": _class_session,
    "classes_staff:register": _class_session,
    "classes_staff:qr": _class_session,
    "classes_staff:qr_code": _class_session,
    "classes_staff:booking_cancel": _class_booking,
}


def _lti_platform():
    from learnward.lti.models import LtiPlatform

    return LtiPlatform.objects.order_by("pk").first()


# Patterns not walked, each with its reason.
NOT_WALKED: dict[str, str] = {
    "accounts:verify": "the emailed token is the credential; the page is the same for anyone",
    "accounts:password_reset_confirm": "the emailed token is the credential",
    "accounts:email_change_confirm": "the emailed token is the credential",
    "accounts:guardian_consent": "the guardian's emailed token is the credential",
    "communications:unsubscribe": "the emailed token is the credential (RFC 8058)",
    "rights:identity_confirm": "the emailed token is the credential",
    "support:thread": "the emailed token is the credential of someone writing without an account",
    "organisations:invitation": "the emailed token is the credential (only its invitee may accept)",
    "organisations:invitation_signup": "the emailed token is the credential; it only starts a sign-up",
    "lti:login": "an LTI platform's login initiation: public, the same for anyone (a redirect to "
    "the platform, or a refusal); tested in tests/lti",
    "integrations:invitation": "the emailed token is the credential (only its invitee may accept)",
    "integrations:invitation_signup": "the emailed token is the credential; it only starts a sign-up",
    "packages:content": "the signed launch token in the path is the credential (no session)",
    "packages:commit": "the signed launch token in the path is the credential (no session)",
    "packages:cmi5_fetch": "the signed launch token in the path is the credential (no session)",
}

# Pages for signing in as staff: a half-signed-in staff member may open them, a learner may not.
STAFF_SIGN_IN = {
    "accounts:two_factor": "where a session that still needs two-factor is sent",
    "accounts:two_factor_start": "setting up the device two-factor requires",
    "accounts:two_factor_setup": "setting up the device two-factor requires",
    "accounts:two_factor_disable": "the two-factor page's form",
    "accounts:login_otp": "entering the code",
}


def _api_token():
    from learnward.integrations.models import ApiToken

    return ApiToken.objects.order_by("pk").first()


def _lookup_token(w: World, actor) -> str:
    """The DPO's subject page for the other person, by a token sealed for ``actor``."""
    from learnward.privacy.rights import desk

    return desk.subject_lookup_token(actor=actor, email=w.other.user.email)


def _notice_number() -> int:
    from learnward.privacy.records.models import NoticeVersion

    return NoticeVersion.objects.order_by("-number").values_list("number", flat=True).first()


def _admin_fill(route: Route, world: World) -> dict[str, object] | None:
    """A model admin's object pages (and its custom ones, by ``pk``): any row of the model."""
    match = _ADMIN_MODEL.match(route.route)
    if match is None or not set(route.params) <= {"object_id", "pk"}:
        return None
    try:
        model = apps.get_model(match["app"], match["model"])
    except LookupError:
        return None
    if model not in admin.site._registry:
        return None
    pk = model._default_manager.values_list("pk", flat=True).first()
    # A model without rows is asked about a row that does not exist: the admin site refuses the
    # session before it looks anything up, and the other pages of the model are walked too.
    pk = pk if pk is not None else 999999
    return dict.fromkeys(route.params, pk)


def urls_to_walk(world: World, actor) -> dict[str, str]:
    """key -> URL for every pattern as ``actor`` asks it, failing on any pattern that is neither
    filled nor listed."""
    urls, unfilled = {}, []
    for route in walk():
        if route.key in NOT_WALKED:
            continue
        if not route.params:
            values = {}
        elif route.key in FILL:
            values = FILL[route.key](world, actor)
        else:
            values = _admin_fill(route, world)
            if values is None:
                unfilled.append(f"{route.key} ({route.route})")
                continue
        url = route.url(values)
        # A wrong fill fails here rather than walking a 404 or another pattern.
        found = resolve(url).route
        assert found.replace("^", "") == route.route.replace("^", ""), (route.key, url, found)
        urls[f"{route.key} {route.route}"] = url
    assert not unfilled, (
        "URL patterns neither filled in FILL nor listed in NOT_WALKED (with a reason) in "
        "tests/core/url_walk.py: " + "; ".join(unfilled)
    )
    return urls
