"""A data subject with data in EVERY registered model, each personal text field holding a marker.

:func:`build_subject_everywhere` takes one person through the platform as a learner and as a
member of staff (sign-up, roles, two-factor, lockout records, learning, an assessment, a
certificate, an evaluation, support messages, consent, CPD, AI use, rights requests, an
export...), then writes a unique marker string into every personal text field of every row of
theirs, so the export and erasure completeness tests can look for each one.

When a model is added to the registry with a ``subject`` path or a ``subject_email``, this module
fails until a builder for it is added to ``BUILDERS`` below: that is how the completeness tests
keep covering every model.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import models
from django.utils import timezone

from learnward.privacy.registry import Declaration
from learnward.privacy.registry.erasure import Subject, subject_queryset
from learnward.privacy.registry.taxonomy import NOT_PERSONAL
from tests.privacy.subject_models import subject_declarations

PASSWORD = "correct horse battery staple"
MARKER_LENGTH = 10


class Markers:
    """Unique, greppable strings: ``qz`` + 4 hex digits for this run + a 4-digit counter."""

    def __init__(self) -> None:
        self.run = "qz" + secrets.token_hex(2)
        self.count = 0
        self.origin: dict[str, str] = {}

    def new(self, where: str) -> str:
        self.count += 1
        marker = f"{self.run}{self.count:04d}"
        self.origin[marker] = where
        return marker

    def email(self, where: str) -> str:
        return f"{self.new(where)}@example.test"

    def found_in(self, text: str) -> set[str]:
        lowered = text.lower()
        return {m for m in self.origin if m in lowered}


@dataclass
class Everywhere:
    user: object
    markers: Markers
    client: object
    settings: object
    course: object = None
    enrolment: object = None
    completion: object = None
    certificate: object = None
    export: object = None
    extra: dict = field(default_factory=dict)

    @property
    def subject(self) -> Subject:
        emails = tuple(e for e in {self.user.email, self.user.pending_email} if e)
        return Subject(user_id=self.user.pk, emails=emails)


# --- the journey: what a real learner and staff member leave behind --------------------------------


def _sign_up(ctx: Everywhere) -> None:
    from learnward.accounts.models import User
    from learnward.accounts.services import user_request_email_change, user_sign_up

    user = user_sign_up(
        email=ctx.markers.email("accounts.User.email"),
        display_name=ctx.markers.new("accounts.User.display_name"),
        date_of_birth=date(1990, 5, 17),
        password=PASSWORD,
    )
    User.objects.filter(pk=user.pk).update(email_verified_at=timezone.now())
    user.refresh_from_db()
    user_request_email_change(user=user, new_email=ctx.markers.email("accounts.User.pending_email"))
    user.refresh_from_db()
    ctx.user = user


def _lockout_and_sign_in(ctx: Everywhere) -> None:
    """Failed sign-ins (axes AccessAttempt) and a successful one (AccessLog), from a marked
    browser."""
    from django.urls import reverse

    agent = ctx.markers.new("axes.user_agent")
    for _ in range(2):
        ctx.client.post(
            reverse("accounts:login"),
            {"username": ctx.user.email, "password": "not the password"},
            HTTP_USER_AGENT=agent,
        )
    ctx.client.post(
        reverse("accounts:login"),
        {"username": ctx.user.email, "password": PASSWORD},
        HTTP_USER_AGENT=agent,
    )


def _staff(ctx: Everywhere) -> None:
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from learnward.accounts.roles import ROLE_PERMISSIONS
    from learnward.accounts.services import user_set_roles

    user_set_roles(user=ctx.user, roles=list(ROLE_PERMISSIONS), actor=None)
    ctx.user.user_permissions.add(Permission.objects.get(codename="view_user"))
    LogEntry.objects.create(
        user=ctx.user,
        content_type=ContentType.objects.get_for_model(type(ctx.user)),
        object_id=str(ctx.user.pk),
        object_repr="x",
        action_flag=CHANGE,
        change_message="x",
    )
    TOTPDevice.objects.create(user=ctx.user, name="phone", confirmed=False)
    static = StaticDevice.objects.create(user=ctx.user, name="backup", confirmed=True)
    StaticToken.objects.create(device=static, token="x")


def _learning(ctx: Everywhere) -> None:
    from learnward.assessments.models import Assessment
    from learnward.assessments.services import attempt_start, attempt_submit
    from learnward.learning.models import Completion
    from learnward.learning.services import (
        activity_record_view,
        enrolment_create,
        lesson_mark_complete,
    )
    from tests.catalog.factories import answers_for, lessons_of, make_course

    course = make_course(modules=1, lessons_per_module=2, questions=1)
    course.certificate_validity_months = 12
    course.save()
    course.tutors.add(ctx.user)
    ctx.enrolment = enrolment_create(user=ctx.user, course=course)
    for lesson in lessons_of(course):
        activity_record_view(user=ctx.user, lesson=lesson)
        lesson_mark_complete(user=ctx.user, lesson=lesson)
    assessment = Assessment.objects.get(course=course)
    attempt = attempt_start(user=ctx.user, assessment=assessment)
    attempt_submit(attempt=attempt, actor=ctx.user, answers=answers_for(course, right=True))
    ctx.course = course
    ctx.completion = Completion.objects.get(enrolment=ctx.enrolment)


def _certificate(ctx: Everywhere) -> None:
    from learnward.certificates.models import Certificate
    from learnward.certificates.services import certificate_issue_for_completion

    ctx.certificate = certificate_issue_for_completion(completion=ctx.completion)
    assert Certificate.objects.filter(user=ctx.user).exists()


def _support(ctx: Everywhere) -> None:
    from learnward.support.services import enquiry_follow_up, enquiry_submit

    signed_in = enquiry_submit(
        kind="enquiry",
        subject=ctx.markers.new("support.Enquiry.subject"),
        body=ctx.markers.new("support.SupportMessage.body"),
        user=ctx.user,
        name=ctx.user.display_name,
        email=ctx.user.email,
    )
    enquiry_follow_up(enquiry=signed_in, body=ctx.markers.new("support.SupportMessage.body"))
    # Sent without signing in, from the same address and from the new address they asked to
    # change to but have not confirmed (User.pending_email): found by address at erasure.
    assert ctx.user.pending_email
    for address in (ctx.user.email, ctx.user.pending_email):
        enquiry_submit(
            kind="enquiry",
            subject=ctx.markers.new("support.Enquiry.subject"),
            body=ctx.markers.new("support.SupportMessage.body"),
            name=ctx.markers.new("support.Enquiry.name"),
            email=address,
        )


def _rights(ctx: Everywhere) -> None:
    from learnward.privacy.rights import desk, services
    from learnward.privacy.rights.models import AccountDeletion, RightsRequest

    request = desk.request_record(
        kind=RightsRequest.Kind.RECTIFICATION,
        channel=RightsRequest.Channel.EMAIL,
        actor=None,
        requester=ctx.user,
        requester_name=ctx.markers.new("privacy_rights.RightsRequest.requester_name"),
        requester_email=ctx.user.email,
        details=ctx.markers.new("privacy_rights.RightsRequest.details"),
    )
    desk.request_confirm_identity(
        request=request,
        actor=None,
        note=ctx.markers.new("privacy_rights.RightsRequest.identity_note"),
    )
    desk.request_pause(
        request=request, actor=None, reason=ctx.markers.new("privacy_rights.RequestPause.reason")
    )
    desk.request_resume(request=request, actor=None)
    desk.request_extend(
        request=request,
        actor=None,
        months=1,
        reason=ctx.markers.new("privacy_rights.RightsRequest.extension_reason"),
    )
    restriction = services.restriction_start(
        user=ctx.user, actor=ctx.user, reason=ctx.markers.new("privacy.Restriction.reason")
    )
    services.restriction_lift(
        restriction=restriction,
        actor=ctx.user,
        reason=ctx.markers.new("privacy.Restriction.lift_reason"),
    )
    objection = services.objection_record(
        user=ctx.user,
        purpose="evaluation",
        actor=ctx.user,
        reason=ctx.markers.new("privacy_consent.Objection.reason"),
    )
    services.objection_withdraw(objection=objection, actor=ctx.user)
    ctx.export = services.export_request(user=ctx.user, actor=ctx.user)
    ctx.export.refresh_from_db()
    AccountDeletion.objects.create(user=ctx.user, erase_after=timezone.now() + timedelta(days=30))


# --- per-model builders ---------------------------------------------------------------------------------
# Each makes sure the subject has at least one row in its model; rows the journey already made
# count. Direct ORM creation is fine here where no service exists.


def _exists(ctx: Everywhere, label: str) -> bool:
    declaration = next(d for d in subject_declarations() if d.key == label)
    return subject_queryset(declaration, ctx.subject).exists()


def journey(ctx: Everywhere, label: str) -> None:
    """Rows made by the journey above; nothing more to do."""


def _axes_failure_log(ctx: Everywhere, label: str) -> None:
    from axes.models import AccessFailureLog

    AccessFailureLog.objects.create(
        user_agent="x",
        ip_address="127.0.0.1",
        username=ctx.user.email,
        http_accept="x",
        path_info="/accounts/login/",
        attempt_time=timezone.now(),
        locked_out=False,
    )


def _axes_attempt(ctx: Everywhere, label: str) -> None:
    if _exists(ctx, label):
        return
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        user_agent="x",
        ip_address="127.0.0.1",
        username=ctx.user.email,
        http_accept="x",
        path_info="/accounts/login/",
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        failures_since_start=1,
    )


def _axes_log(ctx: Everywhere, label: str) -> None:
    if _exists(ctx, label):
        return
    from axes.models import AccessLog

    AccessLog.objects.create(
        user_agent="x",
        ip_address="127.0.0.1",
        username=ctx.user.email,
        http_accept="x",
        path_info="/accounts/login/",
        attempt_time=timezone.now(),
    )


def _breach(ctx: Everywhere, label: str) -> None:
    from learnward.privacy.records.models import Breach, BreachNotification

    breach = Breach.objects.create(
        title="Lost laptop", detected_at=timezone.now(), recorded_by=ctx.user
    )
    BreachNotification.objects.create(breach=breach, user=ctx.user, created_at=timezone.now())


def _breach_notification(ctx: Everywhere, label: str) -> None:
    if not _exists(ctx, label):
        _breach(ctx, label)


def _notice(ctx: Everywhere, label: str) -> None:
    from learnward.privacy.records.notice import notice_acknowledge, notice_publish_if_changed

    notice_acknowledge(user=ctx.user, version=notice_publish_if_changed())


def _retention_override(ctx: Everywhere, label: str) -> None:
    from learnward.privacy.retention.models import RetentionOverride

    RetentionOverride.objects.create(
        rule="accounts.User", months=24, changed_by=ctx.user, changed_at=timezone.now()
    )


def _retention_warning(ctx: Everywhere, label: str) -> None:
    from learnward.privacy.retention.models import RetentionWarning

    now = timezone.now()
    RetentionWarning.objects.create(
        user=ctx.user, anchor=now, deletion_due_at=now + timedelta(days=30), created_at=now
    )


def _consent(ctx: Everywhere, label: str) -> None:
    from learnward.privacy.consent.services import consent_record

    consent_record(
        subject=ctx.user,
        purpose="marketing",
        topic="courses",
        channel="email",
        given=True,
        text="Tell me about new courses.",
        version="v1",
        method="account",
    )


def _mailing(ctx: Everywhere, label: str) -> None:
    from learnward.communications.models import Mailing, MailingDelivery

    mailing = Mailing.objects.create(
        topic=Mailing._meta.get_field("topic").choices[0][0],
        subject="News",
        body_markdown="News",
        created_by=ctx.user,
    )
    MailingDelivery.objects.create(mailing=mailing, user=ctx.user)


def _mailing_delivery(ctx: Everywhere, label: str) -> None:
    if not _exists(ctx, label):
        _mailing(ctx, label)


def _expiry_reminder(ctx: Everywhere, label: str) -> None:
    from learnward.certificates.models import ExpiryReminder

    ExpiryReminder.objects.create(
        certificate=ctx.certificate, days_before=30, sent_at=timezone.now()
    )


def _registration(ctx: Everywhere, label: str) -> None:
    from learnward.learning.models import RegistrationDetails

    RegistrationDetails.objects.create(
        enrolment=ctx.enrolment,
        date_of_birth=date(1990, 5, 17),
        home_postcode="x",
        disability_details="x",
        special_category_consent_text="x",
        submitted_at=timezone.now(),
    )


def _evaluation(ctx: Everywhere, label: str) -> None:
    from learnward.evaluations.services import evaluation_invite, evaluation_submit

    if label == "evaluations.EvaluationInvitation":
        evaluation_invite(completion=ctx.completion)
    else:
        evaluation_submit(user=ctx.user, completion=ctx.completion, rating=4, comments="x")


def _ai_call(ctx: Everywhere, label: str) -> None:
    from learnward.ai.models import AiCall

    field_choices = {f.name: f.choices[0][0] for f in AiCall._meta.concrete_fields if f.choices}
    AiCall.objects.create(
        user=ctx.user,
        created_at=timezone.now(),
        processor="Example AI Ltd",
        sent_text="x",
        response_text="x",
        **field_choices,
    )


def _cpd_activity(ctx: Everywhere, label: str) -> None:
    from learnward.cpd.services import activity_add

    ctx.extra["cpd_activity"] = activity_add(
        user=ctx.user,
        title="x",
        activity_type=_first_choice("cpd.CpdActivity", "activity_type"),
        occurred_on=timezone.localdate(),
        hours=Decimal("1.5"),
        notes="x",
    )


def _reflection(ctx: Everywhere, label: str) -> None:
    from learnward.cpd.services import reflection_save

    reflection_save(
        user=ctx.user,
        what="x",
        so_what="x",
        now_what="x",
        activity=None,
        course_id=ctx.course.pk,
        course_title=ctx.course.title,
    )


def _guardian_request(ctx: Everywhere, label: str) -> None:
    from learnward.accounts.models import GuardianConsentRequest

    GuardianConsentRequest.objects.create(
        user=ctx.user,
        guardian_email=ctx.markers.email("accounts.GuardianConsentRequest.guardian_email"),
        link_key="k" * 32,
        status=GuardianConsentRequest.Status.CONSENTED,
        expires_at=timezone.now() + timedelta(days=7),
        decided_at=timezone.now(),
    )


def _commerce(ctx: Everywhere, label: str) -> None:
    """Once for every commerce model: a paid order with its invoice and access, a partial
    refund (a credit note), seats bought for others, and one of their codes used by the subject."""
    if ctx.extra.get("commerce"):
        return
    from learnward.commerce.models import EnrolmentCode, Order, Product
    from learnward.commerce.services import (
        Billing,
        code_redeem,
        invoice_refund,
        order_mark_paid,
        order_place,
    )
    from tests.commerce.factories import ensure_tax_rates

    ensure_tax_rates()
    product = Product.objects.create(title="x", slug="everywhere", price=Decimal("120.00"))
    product.courses.set([ctx.course])
    billing = Billing(name="x", company="x", address="x", country="GB")
    order = order_place(
        user=ctx.user, product=product, billing=billing, method=Order.Method.BANK_TRANSFER
    )
    order, _ = order_mark_paid(order=order, actor=None)
    invoice_refund(invoice=order.invoice, actor=None, amount=Decimal("1.00"), reason="x")
    seats = order_place(
        user=ctx.user,
        product=product,
        billing=billing,
        method=Order.Method.INVOICE,
        seats=True,
        quantity=2,
        po_number="x",
    )
    order_mark_paid(order=seats, actor=None)
    code_redeem(user=ctx.user, code=EnrolmentCode.objects.filter(pool__order=seats)[0].code)
    ctx.extra["commerce"] = True


def _organisations(ctx: Everywhere, label: str) -> None:
    """Once for every organisations model: the subject made a seat pool (as staff), was
    invited with a seat and accepted (a membership), and has a second invitation waiting,
    matched by their email address."""
    if ctx.extra.get("organisations"):
        return
    from learnward.organisations.models import (
        Invitation,
        Membership,
        Organisation,
        RequiredCourse,
        SeatPool,
    )

    now = timezone.now()
    organisation = Organisation.objects.create(name="x", slug="everywhere-org")
    pool = SeatPool.objects.create(
        organisation=organisation,
        course=ctx.course,
        seats=3,
        expires_on=(now + timedelta(days=30)).date(),
        created_by=ctx.user,
    )
    Membership.objects.create(
        organisation=organisation,
        user=ctx.user,
        role=Membership.Role.MANAGER,
        department="x",
        joined_at=now,
    )
    for n, status in enumerate((Invitation.Status.ACCEPTED, Invitation.Status.PENDING)):
        Invitation.objects.create(
            organisation=organisation,
            email=ctx.user.email,
            name="x",
            department="x",
            pool=pool if n == 0 else None,
            token_hash=f"{n}" * 64,
            status=status,
            invited_by=ctx.user,
            created_at=now,
            expires_at=now + timedelta(days=14),
            accepted_by=ctx.user if n == 0 else None,
        )
    ctx.extra["organisations"] = organisation
    ctx.extra["organisation_requirement"] = RequiredCourse.objects.create(
        organisation=organisation, course=ctx.course
    )
    ctx.extra["organisation_membership"] = Membership.objects.get(user=ctx.user)


def _sso(ctx: Everywhere, label: str) -> None:
    """A link from the subject's account to the subject id an organisation's identity provider
    knows them by (learnward.sso)."""
    from learnward.organisations.models import Organisation
    from learnward.sso.models import ExternalIdentity, IdentityProvider

    organisation = Organisation.objects.create(name="x", slug="everywhere-sso")
    provider = IdentityProvider.objects.create(
        name="x",
        slug="everywhere-sso",
        organisation=organisation,
        issuer="https://login.example.test/",
        client_id="x",
        client_secret_env="LEARNWARD_SSO_SECRET_EVERYWHERE",
    )
    ExternalIdentity.objects.create(
        user=ctx.user,
        provider=provider,
        subject=ctx.markers.new("sso.ExternalIdentity.subject"),
        linked_at=timezone.now(),
        last_sign_in_at=timezone.now(),
    )


def _lti(ctx: Everywhere, label: str) -> None:
    """A link from the subject's account to the sub an LTI platform knows them by, a launch of
    their course from it and a score queued for its gradebook (learnward.lti)."""
    from learnward.lti.models import LtiAccountLink, LtiLaunch, LtiPlatform, LtiScore

    if LtiLaunch.objects.filter(user=ctx.user).exists():
        return
    now = timezone.now()
    platform = LtiPlatform.objects.create(
        name="Everywhere LMS",
        issuer="https://lms.example.test",
        client_id="everywhere",
        auth_login_url="https://lms.example.test/auth",
        auth_token_url="https://lms.example.test/token",
        jwks_url="https://lms.example.test/jwks",
    )
    LtiAccountLink.objects.create(
        platform=platform,
        subject=ctx.markers.new("lti.LtiAccountLink.subject"),
        user=ctx.user,
        linked_at=now,
        last_launch_at=now,
    )
    launch = LtiLaunch.objects.create(
        platform=platform,
        user=ctx.user,
        course=ctx.course,
        deployment_id="dep-1",
        resource_link_id="link-1",
        lineitem_url="https://lms.example.test/lineitems/1",
        ags_scopes=["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
        launched_at=now,
    )
    LtiScore.objects.create(
        launch=launch,
        user=ctx.user,
        reason=LtiScore.Reason.COMPLETED,
        score_given=100,
        activity_progress="Completed",
        grading_progress="FullyGraded",
        created_at=now,
    )


def _integrations(ctx: Everywhere, label: str) -> None:
    """Once for every integrations model: as staff, the subject created and revoked an API token
    and added a webhook; as a learner, a message about them went to that webhook, a statement
    was queued for the LRS, and an API invitation to a course was sent to their address and
    accepted."""
    if ctx.extra.get("integrations"):
        return
    import uuid

    from learnward.integrations.models import (
        ApiInvitation,
        ApiToken,
        WebhookDelivery,
        WebhookSubscription,
        XapiStatement,
    )

    now = timezone.now()
    token = ApiToken.objects.create(
        name="x",
        prefix="everywhere",
        secret_hash="0" * 64,
        scopes=["courses:read"],
        created_by=ctx.user,
        created_at=now,
        expires_at=now + timedelta(days=30),
        revoked_at=now,
        revoked_by=ctx.user,
        last_used_at=now,
    )
    subscription = WebhookSubscription.objects.create(
        name="x",
        url="https://hooks.example.test/x",
        events=["certificate.issued"],
        secret="whsec_" + "A" * 44,
        created_by=ctx.user,
        created_at=now,
    )
    WebhookDelivery.objects.create(
        subscription=subscription,
        user=ctx.user,
        message_id=f"msg_{uuid.uuid4().hex}",
        event="certificate.issued",
        payload={"type": "certificate.issued", "data": {"learner_id": ctx.user.pk}},
        created_at=now,
    )
    XapiStatement.objects.create(
        dedupe_key=f"launched:everywhere:{ctx.user.pk}",
        user=ctx.user,
        verb="launched",
        statement={"verb": {"id": "http://adlnet.gov/expapi/verbs/launched"}},
        created_at=now,
    )
    ApiInvitation.objects.create(
        email=ctx.user.email,
        course=ctx.course,
        token_hash="e" * 64,
        api_token=token,
        created_at=now,
        expires_at=now + timedelta(days=14),
        accepted_at=now,
        accepted_by=ctx.user,
    )
    ctx.extra["integrations"] = subscription


def _classes(ctx: Everywhere, label: str) -> None:
    """A session the subject teaches, and another they booked and attended (learnward.classes)."""
    from learnward.classes.models import Attendance, Booking, Session

    if Booking.objects.filter(user=ctx.user).exists():
        return
    now = timezone.now()
    session = Session.objects.create(
        course=ctx.course,
        title="Workshop",
        starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(hours=1),
        capacity=5,
    )
    session.teachers.add(ctx.user)
    booking = Booking.objects.create(
        session=session, user=ctx.user, status=Booking.Status.BOOKED, status_changed_at=now
    )
    Attendance.objects.create(
        booking=booking,
        status=Attendance.Status.PRESENT,
        note="On time",
        marked_by=ctx.user,
        marked_at=now,
        via=Attendance.Via.REGISTER,
    )


def _exams(ctx: Everywhere, label: str) -> None:
    """An exam sitting the subject teaches and moderates, and their own result in another
    (learnward.exams)."""
    from learnward.exams.models import ExamResult, ExamSitting

    if ExamResult.objects.filter(user=ctx.user).exists():
        return
    now = timezone.now()
    taught = ExamSitting.objects.create(
        course=ctx.course,
        title="Exam they hold",
        held_on=date(2026, 3, 14),
        max_marks=100,
        pass_marks=50,
        moderator=ctx.user,
    )
    taught.teachers.add(ctx.user)
    sat = ExamSitting.objects.create(
        course=ctx.course,
        title="Exam they sat",
        held_on=date(2026, 3, 14),
        max_marks=100,
        pass_marks=50,
        results_release_at=now,
    )
    ExamResult.objects.create(
        sitting=sat,
        user=ctx.user,
        marks=72,
        passed=True,
        note="A good practical",
        entered_by=ctx.user,
        entered_at=now,
        moderated_by=ctx.user,
        moderated_at=now,
    )


def _studio(ctx: Everywhere, label: str) -> None:
    """A course version the subject published and a media item they uploaded, as an author."""
    from learnward.catalog.models import CourseVersion, MediaItem

    now = timezone.now()
    if label == "catalog.CourseVersion":
        number = CourseVersion.objects.filter(course=ctx.course).count() + 1
        CourseVersion.objects.create(
            course=ctx.course, number=number, published_at=now, published_by=ctx.user
        )
    else:
        MediaItem.objects.create(
            course=ctx.course, kind="image", title="x", uploaded_by=ctx.user, uploaded_at=now
        )


def _essay_marking(ctx: Everywhere, label: str) -> None:
    """An essay answer in the subject's attempt, marked against a rubric (learnward.assessments)."""
    from learnward.assessments.models import (
        Answer,
        Attempt,
        CriterionMark,
        Marking,
        Question,
        QuestionCategory,
        RubricCriterion,
    )

    if Marking.objects.filter(answer__attempt__user=ctx.user).exists():
        return
    attempt = Attempt.objects.filter(user=ctx.user).first()
    category = QuestionCategory.objects.filter(course=attempt.assessment.course).first()
    essay = Question.objects.create(
        course=attempt.assessment.course,
        category=category,
        kind=Question.Kind.ESSAY,
        text="Explain",
        points=4,
    )
    criterion = RubricCriterion.objects.create(question=essay, text="Clear", max_marks=4)
    answer = Answer.objects.create(
        attempt=attempt, question=essay, text="My essay", correct=False, points_awarded=3
    )
    marking = Marking.objects.create(
        answer=answer,
        marker=ctx.user,
        marked_at=timezone.now(),
        feedback="Good",
        first_marks=3,
        moderator=ctx.user,
        moderated_at=timezone.now(),
        moderation_agreed=True,
        moderation_note="Agreed",
    )
    CriterionMark.objects.create(marking=marking, criterion=criterion, marks=3)


def _packages(ctx: Everywhere, label: str) -> None:
    """A SCORM attempt with runtime data and a cmi5 attempt with a statement, on package
    lessons the subject uploaded as a course author."""
    if ctx.extra.get("packages"):
        return
    from django.core.files.base import ContentFile

    from learnward.learning.services import enrolment_create
    from learnward.packages import samples
    from learnward.packages.services import (
        VERB_COMPLETED,
        attempt_commit,
        attempt_for_launch,
        cmi5_actor,
        cmi5_launch_begin,
        cmi5_statements_record,
        cmi5_token_fetch,
        package_import,
    )
    from tests.catalog.factories import make_course

    course = make_course(modules=1, lessons_per_module=1, questions=0)
    module = course.modules.get()
    scorm = package_import(
        actor=ctx.user, upload=ContentFile(samples.scorm12_package(), name="p.zip"), module=module
    )
    cmi5 = package_import(
        actor=ctx.user, upload=ContentFile(samples.cmi5_package(), name="c.zip"), module=module
    )
    enrolment_create(user=ctx.user, course=course)
    attempt = attempt_for_launch(user=ctx.user, package=scorm)
    attempt_commit(
        attempt_id=attempt.pk,
        data={"cmi": {"core": {"lesson_status": "incomplete"}, "suspend_data": "x"}},
    )
    attempt = attempt_for_launch(user=ctx.user, package=cmi5)
    session = cmi5_launch_begin(attempt=attempt)
    cmi5_token_fetch(attempt_id=attempt.pk, session=session)
    cmi5_statements_record(
        attempt_id=attempt.pk,
        statements=[
            {
                "actor": cmi5_actor(attempt),
                "verb": {"id": VERB_COMPLETED},
                "object": {"id": cmi5.activity_id},
                "context": {"registration": str(attempt.registration)},
            }
        ],
    )
    ctx.extra["packages"] = True


def _notifications(ctx: Everywhere, label: str) -> None:
    """A notification queued for the digest, a saved preference and a push device (the journey's
    password change already raised a security notification)."""
    if _exists(ctx, label):
        return
    from learnward.notifications.models import (
        DigestItem,
        Notification,
        NotificationPreference,
        PushSubscription,
    )

    if label == "notifications.Notification":
        Notification.objects.create(user=ctx.user, kind="security", title="x")
    elif label == "notifications.DigestItem":
        notification = Notification.objects.create(user=ctx.user, kind="marking_done", title="x")
        DigestItem.objects.create(notification=notification, user=ctx.user)
    elif label == "notifications.NotificationPreference":
        NotificationPreference.objects.create(user=ctx.user, kind="certificate_expiry")
    elif label == "notifications.PushSubscription":
        PushSubscription.objects.create(
            user=ctx.user,
            endpoint="https://fcm.googleapis.com/fcm/send/everywhere",
            p256dh="x",
            auth="x",
        )


def _community(ctx: Everywhere, label: str) -> None:
    """Once for every community model: the subject joined, opened a thread another member
    replied to (so erasure leaves "Post removed"), replied in the other's thread, was mentioned,
    reported a post, had a post hidden and was suspended by a moderator."""
    if ctx.extra.get("community"):
        return
    from django.contrib.auth.models import Group

    from learnward.accounts.models import User
    from learnward.accounts.roles import MODERATOR, ensure_roles
    from learnward.community import services as community

    ensure_roles()
    site = community.site_space_ensure()
    other = User.objects.create_user(
        "community-other@example.test", "x", display_name="Other", email_verified_at=timezone.now()
    )
    moderator = User.objects.create_user(
        "community-mod@example.test",
        "x",
        display_name="Mod",
        email_verified_at=timezone.now(),
        is_staff=True,
    )
    moderator.groups.set(Group.objects.filter(name=MODERATOR))
    community.member_join(user=ctx.user)
    # A handle of its own, not derived from the (marker) name: other people's posts mention it,
    # and those are theirs, not chased by erasure (as the notice says).
    me = community.profile_update(
        user=ctx.user, display_name="x", handle="everywhere-subject", bio="x"
    )
    community.member_join(user=other)
    mine = community.thread_start(user=ctx.user, space=site, title="x", body="x")
    community.reply_create(user=other, thread=mine, body=f"@{me.handle} x")
    theirs = community.thread_start(user=other, space=site, title="y", body="y")
    reply = community.reply_create(user=ctx.user, thread=theirs, body="x")
    community.post_report(user=ctx.user, post=theirs.posts.get(is_opening=True), reason="x")
    community.reaction_toggle(user=ctx.user, post=theirs.posts.get(is_opening=True), kind="thanks")
    community.post_hide(moderator=moderator, post=reply, reason="x")
    community.member_suspend(moderator=moderator, member=me, space=None, reason="x")
    # The subject, as a tutor, marked a question answered (written directly: the service wants
    # a session that passed two-factor).
    type(mine).objects.filter(pk=mine.pk).update(answered_at=timezone.now(), answered_by=ctx.user)
    ctx.extra["community"] = mine


def _first_choice(label: str, name: str):
    from django.apps import apps

    choices = apps.get_model(label)._meta.get_field(name).choices
    return choices[0][0] if choices else "other"


Builder = Callable[[Everywhere, str], None]

BUILDERS: dict[str, Builder] = {
    "admin.LogEntry": journey,  # _staff
    "otp_totp.TOTPDevice": journey,
    "otp_static.StaticDevice": journey,
    "otp_static.StaticToken": journey,
    "axes.AccessFailureLog": _axes_failure_log,
    "axes.AccessAttempt": _axes_attempt,
    "axes.AccessLog": _axes_log,
    "audit.AuditEntry": journey,  # every service call above
    "privacy_rights.RightsRequest": journey,  # _rights and the self-service requests
    "privacy_rights.RequestPause": journey,
    "privacy_rights.AccountDeletion": journey,
    "privacy_consent.ProcessingRestriction": journey,
    "privacy_consent.Objection": journey,
    "privacy_rights.SubjectExport": journey,
    "privacy_records.Breach": _breach,
    "privacy_records.BreachNotification": _breach_notification,
    "privacy_records.NoticeAcknowledgement": _notice,
    "privacy_retention.RetentionOverride": _retention_override,
    "privacy_retention.RetentionWarning": _retention_warning,
    "privacy_consent.ConsentRecord": _consent,
    "accounts.User_groups": journey,
    "accounts.User_user_permissions": journey,
    "accounts.User": journey,
    "accounts.GuardianConsentRequest": _guardian_request,
    "communications.Mailing": _mailing,
    "communications.MailingDelivery": _mailing_delivery,
    "catalog.Course_tutors": journey,
    "catalog.CourseVersion": _studio,
    "catalog.MediaItem": _studio,
    "learning.Enrolment": journey,
    "learning.ActivityEvent": journey,
    "learning.Completion": journey,
    "learning.RegistrationDetails": _registration,
    "assessments.Attempt": journey,
    "assessments.Answer_choices": journey,
    "assessments.Answer": journey,
    "assessments.Marking": _essay_marking,
    "assessments.CriterionMark": _essay_marking,
    "certificates.Certificate": journey,
    "certificates.ExpiryReminder": _expiry_reminder,
    "support.Enquiry": journey,
    "support.SupportMessage": journey,
    "evaluations.EvaluationInvitation": _evaluation,
    "evaluations.Evaluation": _evaluation,
    "ai.AiCall": _ai_call,
    "cpd.CpdActivity": _cpd_activity,
    "cpd.Reflection": _reflection,
    "commerce.Order": _commerce,
    "commerce.Invoice": _commerce,
    "commerce.CreditNote": _commerce,
    "commerce.AccessGrant": _commerce,
    "commerce.SeatPool": _commerce,
    "commerce.EnrolmentCode": _commerce,
    "organisations.Membership": _organisations,
    "organisations.Invitation": _organisations,
    "organisations.SeatPool": _organisations,
    "sso.ExternalIdentity": _sso,
    "lti.LtiAccountLink": _lti,
    "lti.LtiLaunch": _lti,
    "lti.LtiScore": _lti,
    "integrations.ApiToken": _integrations,
    "integrations.ApiInvitation": _integrations,
    "integrations.WebhookSubscription": _integrations,
    "integrations.WebhookDelivery": _integrations,
    "integrations.XapiStatement": _integrations,
    "classes.Session_teachers": _classes,
    "classes.Booking": _classes,
    "classes.Attendance": _classes,
    "exams.ExamSitting": _exams,
    "exams.ExamSitting_teachers": _exams,
    "exams.ExamResult": _exams,
    "packages.ContentPackage": _packages,
    "packages.PackageAttempt": _packages,
    "packages.PackageStatement": _packages,
    "notifications.Notification": _notifications,
    "notifications.NotificationPreference": _notifications,
    "notifications.PushSubscription": _notifications,
    "notifications.DigestItem": _notifications,
    "community.Member": _community,
    "community.Post": _community,
    "community.Thread": _community,
    "community.Mention": _community,
    "community.Report": _community,
    "community.Reaction": _community,
    "community.Suspension": _community,
    "community.ModerationRecord": _community,
}


# --- markers in every personal text field -----------------------------------------------------------


# Personal text fields that never hold free text, so no marker goes there.
NOT_MARKED = {
    # Ids of the entry's target row, committed by the hash chain; erasure keeps them.
    "audit.AuditEntry.target_id",
    # The action's key, from the fixed list in learnward/audit/actions.py: never free text.
    "audit.AuditEntry.action",
}


def markable_fields(declaration: Declaration) -> list[models.Field]:
    """Personal free-text fields: char, text and email fields without choices, long enough."""
    out = []
    for name, category in declaration.fields.items():
        if category == NOT_PERSONAL or f"{declaration.key}.{name}" in NOT_MARKED:
            continue
        f = declaration.model._meta.get_field(name)
        if not isinstance(f, models.CharField | models.TextField) or f.choices:
            continue
        if f.primary_key or (f.max_length is not None and f.max_length < MARKER_LENGTH):
            continue
        out.append(f)
    return out


def _mark_rows(ctx: Everywhere, declaration: Declaration) -> int:
    queryset = subject_queryset(declaration, ctx.subject)
    keep = {declaration.subject_email.split("__")[0]} if declaration.subject_email else set()
    fields = [f for f in markable_fields(declaration) if f.name not in keep]
    if declaration.key == "accounts.User":
        fields = [f for f in fields if f.name not in {"email", "pending_email"}]
    if not fields:
        return 0
    rows = 0
    for pk in list(queryset.values_list("pk", flat=True)):
        values = {}
        for f in fields:
            where = f"{declaration.key}.{f.name}"
            if isinstance(f, models.EmailField):
                values[f.attname] = ctx.markers.email(where)
            else:
                values[f.attname] = ctx.markers.new(where)
        declaration.model._default_manager.filter(pk=pk).update(**values)
        rows += 1
    return rows


def build_subject_everywhere(*, client, settings) -> Everywhere:
    """Build the subject; fail naming any registered model without a builder or without rows."""
    declarations = subject_declarations()
    missing = [d.key for d in declarations if d.key not in BUILDERS]
    if missing:
        pytest.fail(
            "No builder in tests/privacy/subject_everywhere.py for these registered models: "
            + ", ".join(missing)
            + ". Add one to BUILDERS so the export and erasure completeness tests cover them."
        )
    ctx = Everywhere(user=None, markers=Markers(), client=client, settings=settings)
    _sign_up(ctx)
    _lockout_and_sign_in(ctx)
    _staff(ctx)
    _learning(ctx)
    _certificate(ctx)
    _support(ctx)
    for declaration in declarations:
        if BUILDERS[declaration.key] is not journey:
            BUILDERS[declaration.key](ctx, declaration.key)
    _rights(ctx)
    empty = [d.key for d in declarations if not subject_queryset(d, ctx.subject).exists()]
    if empty:
        pytest.fail(
            "The subject has no rows in: " + ", ".join(empty) + ". Fix their builders in "
            "tests/privacy/subject_everywhere.py."
        )
    for declaration in declarations:
        _mark_rows(ctx, declaration)
    ctx.user.refresh_from_db()
    return ctx
