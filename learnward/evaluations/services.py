"""Writes for course evaluations: inviting, submitting, and the research consent with it."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.errors import ApplicationError
from learnward.core.i18n import use_language
from learnward.core.links import absolute_url
from learnward.core.mail import send_service_email
from learnward.privacy.consent.models import ConsentMethod
from learnward.privacy.consent.services import consent_given, consent_record, text_version

from .models import Evaluation, EvaluationInvitation

logger = logging.getLogger(__name__)

RESEARCH_PURPOSE = "research"


class EvaluationError(ApplicationError, ValueError):
    pass


def research_consent_text(course_title: str) -> str:
    """The research consent's words, in the active language: the learner agrees to the text of
    the page they read, and that text is what is recorded."""
    return _(
        "%(provider)s may use the comments in my evaluation of “%(course)s” "
        "in research about learning, without my name. I can withdraw this at any time by "
        "editing my evaluation."
    ) % {"provider": settings.PROVIDER_NAME, "course": course_title}


def evaluation_submit(
    *,
    user,
    completion,
    rating: int,
    comments: str = "",
    share_comments: bool = False,
    research: bool = False,
) -> Evaluation:
    """Save (or update) the learner's evaluation of a course they completed.

    Research use of the comments is a separate consent, recorded with its exact text only when
    the learner's answer changes (it starts as no).
    """
    if completion.enrolment.user_id != user.pk:
        raise EvaluationError(_("You can only evaluate courses you completed."))
    if rating not in range(1, 6):
        raise EvaluationError(_("Choose a rating from 1 to 5."))
    comments = comments.strip()
    course = completion.enrolment.course
    with transaction.atomic(durable=True):
        evaluation = Evaluation.objects.select_for_update().filter(completion=completion).first()
        created = evaluation is None
        if created:
            evaluation = Evaluation(course=course, completion=completion)
        evaluation.rating = rating
        evaluation.comments = comments
        evaluation.share_comments = bool(share_comments and comments)
        evaluation.save()
        research = bool(research and comments)
        had_research = (not created) and consent_given(
            user=user, purpose=RESEARCH_PURPOSE, topic=evaluation.research_topic
        )
        if research != had_research:
            text = research_consent_text(course.title)
            if not research:
                text = _("Withdrawn: %(text)s") % {"text": text}
            consent_record(
                subject=user,
                purpose=RESEARCH_PURPOSE,
                topic=evaluation.research_topic,
                given=research,
                text=text,
                version=text_version(research_consent_text("{course}")),
                method=ConsentMethod.FORM,
            )
        audit_record(
            action=Action.EVALUATION_SUBMITTED,
            actor=user,
            subject=user,
            target=evaluation,
            payload={"course": course.pk, "created": created},
        )
    return evaluation


def evaluation_invite(*, completion) -> EvaluationInvitation | None:
    """Invite the learner, once per completion, to evaluate the course (a service email).

    Not while the gate says no (restricted, or objecting to evaluations): then nothing is
    recorded, so a later run can still invite them within the look-back window.
    """
    from learnward.privacy.consent.gate import processing_allowed

    user = completion.enrolment.user
    if user.status != user.Status.ACTIVE or not processing_allowed(user=user, purpose="evaluation"):
        return None
    with transaction.atomic():
        invitation, created = EvaluationInvitation.objects.get_or_create(completion=completion)
        if not created:
            return None
        audit_record(
            action=Action.EVALUATION_INVITED,
            subject=user,
            target=invitation,
            payload={"course": completion.enrolment.course_id},
        )
    course = completion.enrolment.course
    try:
        # In the learner's saved language, whichever process sends it (the daily job): the
        # subject, the body and the /nl/ or /fr/ link.
        with use_language(user.language):
            send_service_email(
                to=user.email,
                subject=_("How was %(course)s?") % {"course": course.title},
                template="evaluations/email/invitation",
                context={
                    "user": user,
                    "course": course,
                    "evaluate_url": absolute_url(
                        reverse("evaluations:evaluate", kwargs={"completion_id": completion.pk})
                    ),
                },
                language=user.language,
            )
    except Exception:  # noqa: BLE001 - the next run does not resend; the page still invites
        logger.exception("evaluation invitation %s could not be emailed", invitation.pk)
        return invitation
    invitation.emailed_at = timezone.now()
    invitation.save(update_fields=["emailed_at"])
    return invitation


def evaluation_invitations_send(*, since_days: int = 30) -> int:
    """Invite everyone who completed a course in the last ``since_days`` and was not invited."""
    from datetime import timedelta

    from learnward.learning.models import Completion

    since = timezone.now() - timedelta(days=since_days)
    pending = (
        Completion.objects.filter(completed_at__gte=since, evaluation_invitation__isnull=True)
        .select_related("enrolment__user", "enrolment__course")
        .order_by("pk")
    )
    count = 0
    for completion in pending.iterator(chunk_size=200):
        if evaluation_invite(completion=completion) is not None:
            count += 1
    return count
