"""Writes for the LTI tool: registering platforms, accepting a launch (nonce once, account link,
enrolment, launch record), and queueing and sending scores to a platform's gradebook.

How a launched learner is matched (docs/integrations.md, "LTI 1.3"):

1. by the platform and its ``sub``, through an :class:`LtiAccountLink` made at the first launch;
2. else, when the launch carries an email address, the platform allows linking by address and
   an account with that address has *verified* it, that account (never a staff account);
3. else a new account, made through ``accounts.services.user_create_verified`` with a
   placeholder address ``lti-…@learners.invalid``: the platform vouches for the person, not for
   the address, and ``.invalid`` never receives mail. The learner can set a real address later
   on their account page, which sends a verification link.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from pylti1p3.grade import Grade

from learnward.accounts.models import User
from learnward.accounts.services import user_create_verified
from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.catalog.models import Course
from learnward.core.errors import ApplicationError
from learnward.core.mail import normalise_email
from learnward.core.text import NameNotAllowed, clean_person_name
from learnward.learning.services import enrolment_create
from learnward.privacy.consent.gate import processing_allowed

from .models import LtiAccountLink, LtiDeployment, LtiLaunch, LtiNonce, LtiPlatform, LtiScore
from .privacy import PURPOSE
from .tool import AGS_CLAIM, CLAIM

logger = logging.getLogger(__name__)

PLACEHOLDER_DOMAIN = "learners.invalid"
NAME_MAX_LENGTH = User._meta.get_field("display_name").max_length
SCORE_MAX_ATTEMPTS = 5
# Seconds before each retry of a score the platform did not take: 1 min, 5 min, 30 min, 2 h.
SCORE_RETRY_DELAYS = (60, 300, 1800, 7200)


class LaunchRefused(ApplicationError):
    """A launch Learnward will not act on; ``code`` picks the page's explanation."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- platforms ---------------------------------------------------------------------------------


def platform_save(*, actor, platform: LtiPlatform, deployment_ids: list[str]) -> LtiPlatform:
    """Create or change a platform registration and set its deployment ids."""
    created = platform.pk is None
    with transaction.atomic(durable=True):
        platform.save()
        wanted = list(dict.fromkeys(d.strip() for d in deployment_ids if d.strip()))
        LtiDeployment.objects.filter(platform=platform).exclude(deployment_id__in=wanted).delete()
        for deployment_id in wanted:
            LtiDeployment.objects.get_or_create(platform=platform, deployment_id=deployment_id)
        audit_record(
            action=Action.LTI_PLATFORM_SAVED,
            actor=actor,
            target=platform,
            payload={"created": created, "enabled": platform.enabled},
        )
    return platform


# --- launches ----------------------------------------------------------------------------------


def launch_refusal_record(*, code: str, platform: LtiPlatform | None = None) -> None:
    """Audit a refused launch (the reason's code only: no claim of the token)."""
    with transaction.atomic(durable=True):
        audit_record(
            action=Action.LTI_LAUNCH_REFUSED,
            target=platform,
            payload={"reason": code},
        )
    logger.info("lti launch refused: %s", code)


def nonce_use(*, platform: LtiPlatform, nonce: str, expires_at: datetime) -> None:
    """Accept ``nonce`` once: a second launch with it (a replayed id_token) is refused."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        LtiNonce.objects.filter(expires_at__lt=now).delete()
        try:
            with transaction.atomic():
                LtiNonce.objects.create(
                    platform=platform, nonce=nonce[:255], expires_at=max(expires_at, now)
                )
        except IntegrityError:
            raise LaunchRefused("replayed") from None


def _display_name(claims: dict) -> str:
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        parts = [claims.get("given_name"), claims.get("family_name")]
        name = " ".join(p for p in parts if isinstance(p, str) and p.strip())
    try:
        name = clean_person_name(name or "")[:NAME_MAX_LENGTH].strip()
    except NameNotAllowed:
        name = ""
    return name or "Learner"


def _verified_account_for(email: object) -> User | None:
    if not isinstance(email, str) or "@" not in email or len(email) > 254:
        return None
    user = User.objects.filter(email__iexact=normalise_email(email)).first()
    if user is None or not user.has_verified_email or user.is_staff or user.is_superuser:
        return None
    return user


@dataclass(frozen=True)
class Linked:
    user: User
    # "linked" (a returning sub), "email" (an existing verified account), "created"
    kind: str


def account_for_launch(*, platform: LtiPlatform, claims: dict) -> Linked:
    """The account a launch signs in to (see the module's docstring)."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise LaunchRefused("no_subject")
    now = timezone.now()
    with transaction.atomic(durable=True):
        link = (
            LtiAccountLink.objects.select_for_update()
            .select_related("user")
            .filter(platform=platform, subject=subject)
            .first()
        )
        if link is not None:
            user = link.user
            if user.is_staff or user.is_superuser or not user.is_active:
                raise LaunchRefused("account_unavailable")
            link.last_launch_at = now
            link.save(update_fields=["last_launch_at"])
            return Linked(user=user, kind="linked")
        user = _verified_account_for(claims.get("email")) if platform.link_by_email else None
        kind = "email" if user is not None else "created"
        if user is None:
            user = user_create_verified(
                email=f"lti-{secrets.token_hex(10)}@{PLACEHOLDER_DOMAIN}",
                display_name=_display_name(claims),
                verified_at=now,
            )
        try:
            with transaction.atomic():
                LtiAccountLink.objects.create(
                    platform=platform,
                    subject=subject,
                    user=user,
                    via_email=kind == "email",
                    linked_at=now,
                    last_launch_at=now,
                )
        except IntegrityError:
            # The same person launched twice at the same moment: the other launch linked them.
            raise LaunchRefused("busy") from None
        audit_record(
            action=Action.LTI_ACCOUNT_CREATED if kind == "created" else Action.LTI_ACCOUNT_LINKED,
            actor=user,
            subject=user,
            target=platform,
            payload={"platform_id": platform.pk},
        )
        return Linked(user=user, kind=kind)


def launch_record(*, platform: LtiPlatform, user: User, course: Course, claims: dict) -> LtiLaunch:
    """Enrol ``user`` on ``course`` (the enrolment's own rules and gates apply:
    ``learning.services.LearningError`` when refused, nothing stored) and record the launch with
    the line item its grades go to."""
    ags = claims.get(AGS_CLAIM) if isinstance(claims.get(AGS_CLAIM), dict) else {}
    lineitem = ags.get("lineitem") if isinstance(ags.get("lineitem"), str) else ""
    scopes = [s for s in ags.get("scope") or [] if isinstance(s, str)]
    resource_link = claims.get(CLAIM + "resource_link") or {}
    with transaction.atomic(durable=True):
        enrolment_create(user=user, course=course)
        launch = LtiLaunch.objects.create(
            platform=platform,
            user=user,
            course=course,
            deployment_id=str(claims.get(CLAIM + "deployment_id", ""))[:255],
            resource_link_id=str(resource_link.get("id", ""))[:255],
            lineitem_url=lineitem[:500] if lineitem.startswith(("https://", "http://")) else "",
            ags_scopes=scopes[:10],
            launched_at=timezone.now(),
        )
        audit_record(
            action=Action.LTI_LAUNCHED,
            actor=user,
            subject=user,
            target=launch,
            payload={"platform_id": platform.pk, "course_id": course.pk},
        )
    return launch


# --- grade passback ----------------------------------------------------------------------------


def _completion_score(*, user_id: int, course_id: int) -> Decimal:
    """The course's grade at completion: the latest passed assessment's score, else 100."""
    from learnward.assessments.models import Attempt

    attempt = (
        Attempt.objects.filter(
            user_id=user_id, assessment__course_id=course_id, passed=True, score__isnull=False
        )
        .order_by("-submitted_at", "-pk")
        .first()
    )
    return attempt.score if attempt is not None else Decimal(100)


def scores_queue(
    *, user_id: int, course_id: int, reason: str, attempt_id: int | None = None
) -> list[LtiScore]:
    """Queue a score for each platform line item this learner launched the course from, and
    enqueue its sending once this commits. Nothing when the course was never launched by LTI."""
    from learnward.assessments.models import Attempt

    launches = LtiLaunch.objects.filter(user_id=user_id, course_id=course_id).exclude(
        lineitem_url=""
    )
    latest: dict[tuple[int, str], LtiLaunch] = {}
    for launch in launches.order_by("launched_at", "pk"):
        if launch.can_post_scores:
            latest[(launch.platform_id, launch.lineitem_url)] = launch
    if not latest:
        return []
    user = User.objects.filter(pk=user_id).first()
    if user is None or not processing_allowed(user=user, purpose=PURPOSE):
        # Restricted processing, or an objection to sending grades to the platform.
        return []
    if reason == LtiScore.Reason.COMPLETED:
        given = _completion_score(user_id=user_id, course_id=course_id)
        activity = "Completed"
    else:
        attempt = Attempt.objects.filter(pk=attempt_id, user_id=user_id).first()
        if attempt is None or attempt.score is None:
            return []
        given = attempt.score
        activity = "Submitted"
    now = timezone.now()
    scores = []
    with transaction.atomic():
        for launch in latest.values():
            scores.append(
                LtiScore.objects.create(
                    launch=launch,
                    user_id=user_id,
                    reason=reason,
                    score_given=given,
                    score_maximum=Decimal(100),
                    activity_progress=activity,
                    grading_progress="FullyGraded",
                    created_at=now,
                )
            )
        from .tasks import lti_score_send

        for score in scores:
            transaction.on_commit(lambda pk=score.pk: lti_score_send.enqueue(pk))
    return scores


def _grade(score: LtiScore, subject: str) -> Grade:
    return (
        Grade()
        .set_score_given(float(score.score_given))
        .set_score_maximum(float(score.score_maximum))
        .set_activity_progress(score.activity_progress)
        .set_grading_progress(score.grading_progress)
        .set_timestamp(score.created_at.isoformat())
        .set_user_id(subject)
    )


def score_send(*, score_id: int) -> LtiScore | None:
    """Post one queued score; on failure count the attempt and say when to retry (the task
    re-enqueues), up to :data:`SCORE_MAX_ATTEMPTS`. A score already sent is not sent again."""
    from .tool import post_score

    score = LtiScore.objects.select_related("launch__platform").filter(pk=score_id).first()
    if score is None or score.status != LtiScore.Status.PENDING:
        return score
    platform = score.launch.platform
    link = LtiAccountLink.objects.filter(platform=platform, user_id=score.user_id).first()
    error = ""
    if link is None or not platform.enabled:
        error = "The platform is switched off or the learner is no longer linked."
    else:
        try:
            post_score(
                platform=platform,
                lineitem_url=score.launch.lineitem_url,
                scopes=score.launch.ags_scopes,
                grade=_grade(score, link.subject),
            )
        except Exception as exc:  # noqa: BLE001 - any failure is a retry; the kind is kept
            error = f"{type(exc).__name__}"[:200]
            status = getattr(getattr(exc, "response", None), "status_code", None)
            if status:
                error = f"{error} (HTTP {status})"
    with transaction.atomic(durable=True):
        score = LtiScore.objects.select_for_update().get(pk=score.pk)
        score.attempts += 1
        if not error:
            score.status = LtiScore.Status.SENT
            score.sent_at = timezone.now()
            score.last_error = ""
        else:
            score.last_error = error
            if score.attempts >= SCORE_MAX_ATTEMPTS or link is None:
                score.status = LtiScore.Status.FAILED
        score.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        if score.status != LtiScore.Status.PENDING:
            audit_record(
                action=Action.LTI_SCORE_SENT
                if score.status == LtiScore.Status.SENT
                else Action.LTI_SCORE_FAILED,
                subject=score.user,
                target=score,
                payload={"platform_id": platform.pk, "reason": score.reason},
            )
    if error:
        logger.warning("lti score %s not sent: %s", score.pk, error)
    return score


def retry_delay(score: LtiScore) -> timedelta | None:
    """How long to wait before the next try of a pending score, or None when no more."""
    if score.status != LtiScore.Status.PENDING or score.attempts == 0:
        return None
    index = min(score.attempts - 1, len(SCORE_RETRY_DELAYS) - 1)
    return timedelta(seconds=SCORE_RETRY_DELAYS[index])
