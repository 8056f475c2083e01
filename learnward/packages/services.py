"""Writes for packages: importing a package as a lesson (or a whole course), the learner's
attempts and their runtime data, and the cmi5 launch (auth token, statements, state).

Importing runs every check before anything is stored; the files go to the default storage
first and are removed again if the database write fails, so a refusal leaves nothing behind.
Runtime commits and statements are the learner's own activity, like learning's activity events:
they are not audited one by one; an attempt's completion and pass are.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import shutil
import uuid
from decimal import Decimal
from typing import Any, BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext as _

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.catalog.models import Course, Lesson, Module
from learnward.core.errors import ApplicationError
from learnward.learning.models import Enrolment
from learnward.learning.services import LearningError, lesson_mark_complete

from . import importer
from .models import ContentPackage, PackageAttempt, PackageStatement
from .runtime import read_commit

VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VERB_PASSED = "http://adlnet.gov/expapi/verbs/passed"
VERB_FAILED = "http://adlnet.gov/expapi/verbs/failed"
VERB_SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"
VERB_TERMINATED = "http://adlnet.gov/expapi/verbs/terminated"


class PackageError(ApplicationError):
    """A request the rules refuse; ``message`` is fit to show. Nothing was stored."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def learner_key(user_id: int) -> str:
    """The opaque id a package knows the learner by (SCORM learner id, cmi5 account name):
    stable per learner, meaningless outside this site, never the email address."""
    return salted_hmac("learnward.packages.learner", str(user_id)).hexdigest()[:32]


# --- Importing ---------------------------------------------------------------------------------


def _store_files(prefix: str, files: list[tuple[str, Any]]) -> list[str]:
    stored: list[str] = []
    try:
        for name, path in files:
            wanted = prefix + name
            with open(path, "rb") as handle:
                saved = default_storage.save(wanted, File(handle))
            stored.append(saved)
            if saved != wanted:
                raise PackageError(
                    _("The file %(name)s could not be stored under its own name.") % {"name": name}
                )
    except BaseException:
        _delete_files(stored)
        raise
    return stored


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _refuse_assessment_clash(course: Course) -> None:
    from learnward.assessments.selectors import assessment_for_course

    if assessment_for_course(course=course) is not None:
        raise PackageError(
            _(
                "%(title)s has its own assessment, so a package cannot stand as its assessment as well: remove the assessment first, or leave the box unticked."
            )
            % {"title": course.title}
        )


def package_import(
    *,
    actor,
    upload: BinaryIO,
    module: Module | None = None,
    title: str = "",
    counts_as_assessment: bool = False,
) -> ContentPackage:
    """Add a package lesson at the end of ``module``; without ``module``, a new (unpublished)
    course with one module and this one lesson, titled after the package.

    :class:`importer.PackageRefused` or :class:`PackageError` say why a package is refused;
    nothing is stored then.
    """
    if module is not None and counts_as_assessment:
        _refuse_assessment_clash(module.course)
    inspected = importer.inspect_package(upload)
    directory, files = importer.extract(upload, inspected.members)
    try:
        key = uuid.uuid4()
        stored = _store_files(f"packages/{key}/", files)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    try:
        return _record_package(
            actor=actor,
            inspected=inspected,
            key=key,
            module=module,
            title=title.strip(),
            counts_as_assessment=counts_as_assessment,
        )
    except BaseException:
        _delete_files(stored)
        raise


def _unique_slug(title: str) -> str:
    base = (slugify(title) or "package")[:80]
    slug, n = base, 1
    while Course.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic(durable=True)
def _record_package(
    *, actor, inspected, key, module, title: str, counts_as_assessment: bool
) -> ContentPackage:
    manifest = inspected.manifest
    title = title or manifest.title
    whole_course = module is None
    if whole_course:
        course = Course.objects.create(
            title=title[:200],
            slug=_unique_slug(title),
            summary=f"{title[:280]}.",
            cpd_hours=0,
        )
        module = Module.objects.create(course=course, title=title[:200], position=0)
    last = module.lessons.order_by("-position").values_list("position", flat=True).first()
    lesson = Lesson.objects.create(
        module=module,
        title=title[:200],
        position=(last or 0) + 1,
        body_markdown=_("This lesson plays the package %(title)s.") % {"title": manifest.title},
    )
    package = ContentPackage.objects.create(
        lesson=lesson,
        standard=manifest.standard,
        title=manifest.title[:200],
        key=key,
        launch_path=manifest.launch_path,
        launch_parameters=manifest.launch_parameters[:500],
        activity_id=manifest.activity_id[:500],
        move_on=manifest.move_on,
        mastery_score=manifest.mastery_score,
        checksum=inspected.checksum,
        file_count=len(inspected.members),
        total_size=inspected.total_size,
        counts_as_assessment=counts_as_assessment,
        is_whole_course=whole_course,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    audit_record(
        action=Action.PACKAGE_ADDED,
        actor=actor,
        target=package,
        payload={
            "course_id": module.course_id,
            "lesson_id": lesson.pk,
            "standard": package.standard,
            "checksum": package.checksum,
            "counts_as_assessment": counts_as_assessment,
            "whole_course": whole_course,
        },
    )
    return package


# --- Attempts and SCORM runtime data ------------------------------------------------------------


def attempt_for_launch(*, user, package: ContentPackage) -> PackageAttempt | None:
    """The learner's attempt in their current cycle (created on the first launch), or None
    when they are not enrolled (a staff preview records nothing)."""
    enrolment = Enrolment.objects.filter(
        user=user, course_id=package.lesson.module.course_id, left_at__isnull=True
    ).first()
    if enrolment is None:
        return None
    attempt = PackageAttempt.objects.filter(package=package, user=user).order_by("-number").first()
    if attempt is not None and attempt.cycle == enrolment.cycle:
        return attempt
    now = timezone.now()
    try:
        with transaction.atomic():
            return PackageAttempt.objects.create(
                package=package,
                user=user,
                number=(attempt.number + 1) if attempt else 1,
                cycle=enrolment.cycle,
                started_at=now,
                updated_at=now,
            )
    except IntegrityError:  # two tabs launched at once
        return PackageAttempt.objects.filter(package=package, user=user).order_by("-number")[0]


def _finish(*, attempt: PackageAttempt, completed: bool, passed: bool) -> None:
    """Record the attempt's completion and pass (once each) and make learning follow."""
    now = timezone.now()
    newly = []
    if completed and attempt.completed_at is None:
        attempt.completed_at = now
        newly.append(Action.PACKAGE_COMPLETED)
    if passed and attempt.passed_at is None:
        attempt.passed_at = now
        newly.append(Action.PACKAGE_PASSED)
    if not newly:
        return
    attempt.save(update_fields=["completed_at", "passed_at"])
    if attempt.completed_at is None:
        return  # passed, but the lesson waits for what completes it
    for action in newly:
        audit_record(
            action=action,
            actor=attempt.user,
            subject=attempt.user,
            target=attempt,
            payload={"lesson_id": attempt.package.lesson_id},
        )
    try:
        # Marks the lesson (once) and completes the course when that was all it needed: a
        # pass that stands as the assessment is met now.
        lesson_mark_complete(user=attempt.user, lesson=attempt.package.lesson)
    except LearningError:
        pass  # left the course meanwhile: the attempt keeps the result


@transaction.atomic(durable=True)
def attempt_commit(*, attempt_id: int, data: Any) -> PackageAttempt:
    """Store a SCORM commit (scorm-again's JSON: ``{"cmi": {...}}``) on the attempt.

    Completion ("completed", "passed", and SCORM 1.2 "failed", which is finished but not
    passed) marks the lesson complete; "passed" is the package's pass."""
    attempt = (
        PackageAttempt.objects.select_for_update(of=("self",))
        .select_related("package__lesson__module", "user")
        .get(pk=attempt_id)
    )
    cmi = data.get("cmi") if isinstance(data, dict) else None
    if not isinstance(cmi, dict):
        raise PackageError(_("The commit has no cmi object."))
    fields = read_commit(standard=attempt.package.standard, cmi=cmi)
    for name, value in fields.items():
        setattr(attempt, name, value)
    attempt.cmi = {**attempt.cmi, "cmi": cmi}
    attempt.updated_at = timezone.now()
    attempt.save()
    completed = attempt.completion_status == "completed" or attempt.success_status == "passed"
    _finish(attempt=attempt, completed=completed, passed=attempt.success_status == "passed")
    return attempt


# --- cmi5 ---------------------------------------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def cmi5_launch_begin(*, attempt: PackageAttempt) -> str:
    """A new launch session for the attempt: its id, which the launch's fetch URL names. The
    previous launch's fetch URL and auth token stop working."""
    session = uuid.uuid4().hex
    PackageAttempt.objects.filter(pk=attempt.pk).update(
        cmi={**attempt.cmi, "session": session},
        auth_token_hash="",
        auth_token_fetched_at=None,
    )
    attempt.refresh_from_db()
    return session


class Cmi5FetchError(ApplicationError):
    """The fetch URL refuses: ``code`` is cmi5's error code, ``text`` says why."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(text)
        self.code, self.text = code, text


@transaction.atomic(durable=True)
def cmi5_token_fetch(*, attempt_id: int, session: str) -> str:
    """The launch's auth token, once: a second fetch (or a fetch for an older launch) is
    refused with the cmi5 error codes (1: already in use; 2: expired or invalid)."""
    attempt = PackageAttempt.objects.select_for_update().filter(pk=attempt_id).first()
    if attempt is None or attempt.cmi.get("session") != session:
        raise Cmi5FetchError(2, "This launch has expired: open the lesson again.")
    if attempt.auth_token_fetched_at is not None:
        raise Cmi5FetchError(1, "The auth token of this launch was fetched already.")
    secret = secrets.token_urlsafe(32)
    attempt.auth_token_hash = _hash(secret)
    attempt.auth_token_fetched_at = timezone.now()
    attempt.save(update_fields=["auth_token_hash", "auth_token_fetched_at"])
    return base64.b64encode(f"{attempt.pk}:{secret}".encode()).decode()


def cmi5_attempt_for_auth(header: str) -> PackageAttempt | None:
    """The attempt whose launch's auth token is in an ``Authorization: Basic`` header."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        attempt_id, _, secret = base64.b64decode(value, validate=True).decode().partition(":")
        pk = int(attempt_id)
    except (ValueError, UnicodeDecodeError):
        return None
    attempt = (
        PackageAttempt.objects.select_related("package__lesson__module", "user")
        .filter(pk=pk)
        .first()
    )
    if attempt is None or not attempt.auth_token_hash or not secret:
        return None
    if not hmac.compare_digest(attempt.auth_token_hash, _hash(secret)):
        return None
    fetched = attempt.auth_token_fetched_at
    if fetched is None or (timezone.now() - fetched).total_seconds() > (
        settings.PACKAGES_LAUNCH_HOURS * 3600
    ):
        return None
    return attempt


def cmi5_actor(attempt: PackageAttempt) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "account": {"homePage": settings.BASE_URL, "name": learner_key(attempt.user_id)},
    }


def _statement_problem(attempt: PackageAttempt, statement: Any) -> str:
    if not isinstance(statement, dict):
        return "A statement must be a JSON object."
    account = (statement.get("actor") or {}).get("account") or {}
    if account.get("name") != learner_key(attempt.user_id):
        return "The statement's actor is not the launched learner."
    verb = (statement.get("verb") or {}).get("id")
    if not isinstance(verb, str) or not verb:
        return "The statement has no verb id."
    context = statement.get("context") or {}
    if str(context.get("registration", "")) != str(attempt.registration):
        return "The statement's registration is not the launch's registration."
    if "id" in statement:
        try:
            uuid.UUID(str(statement["id"]))
        except ValueError:
            return "The statement id is not a UUID."
    return ""


def _satisfied_statement(attempt: PackageAttempt) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": cmi5_actor(attempt),
        "verb": {"id": VERB_SATISFIED, "display": {"en-US": "satisfied"}},
        "object": {"id": attempt.package.activity_id, "objectType": "Activity"},
        "context": {"registration": str(attempt.registration)},
        "timestamp": timezone.now().isoformat(),
        "authority": {
            "objectType": "Agent",
            "account": {"homePage": settings.BASE_URL, "name": "lms"},
        },
    }


def _move_on_met(package: ContentPackage, attempt: PackageAttempt) -> bool:
    """Whether the AU's moveOn criterion is met by what its statements said."""
    completed = attempt.completion_status == "completed"
    passed = attempt.success_status == "passed"
    return {
        "Completed": completed,
        "Passed": passed,
        "CompletedAndPassed": completed and passed,
        "CompletedOrPassed": completed or passed,
    }.get(package.move_on, completed or passed)


@transaction.atomic(durable=True)
def cmi5_statements_record(*, attempt_id: int, statements: list[Any]) -> list[str]:
    """Store statements the AU sent for the attempt and make learning follow "completed",
    "passed" and "satisfied"; returns their ids. A refused batch stores nothing."""
    attempt = (
        PackageAttempt.objects.select_for_update(of=("self",))
        .select_related("package__lesson__module", "user")
        .get(pk=attempt_id)
    )
    now = timezone.now()
    rows, ids = [], []
    for statement in statements:
        problem = _statement_problem(attempt, statement)
        if problem:
            raise PackageError(problem)
        statement = dict(statement)
        statement.setdefault("id", str(uuid.uuid4()))
        statement["stored"] = now.isoformat()
        ids.append(str(statement["id"]))
        rows.append(
            PackageStatement(
                attempt=attempt,
                statement_id=uuid.UUID(str(statement["id"])),
                verb=statement["verb"]["id"][:300],
                statement=statement,
                stored_at=now,
            )
        )
    if len(set(ids)) != len(ids) or PackageStatement.objects.filter(statement_id__in=ids).exists():
        raise PackageError(_("A statement with this id was stored already."), code="conflict")
    PackageStatement.objects.bulk_create(rows)
    verbs = {row.verb for row in rows}
    if VERB_COMPLETED in verbs:
        attempt.completion_status = "completed"
    if VERB_PASSED in verbs:
        attempt.success_status = "passed"
    elif VERB_FAILED in verbs and attempt.success_status != "passed":
        attempt.success_status = "failed"
    for row in rows:
        scaled = ((row.statement.get("result") or {}).get("score") or {}).get("scaled")
        if isinstance(scaled, int | float) and not isinstance(scaled, bool) and -1 <= scaled <= 1:
            attempt.score_scaled = round(Decimal(str(scaled)), 4)
    attempt.updated_at = now
    attempt.save()
    met = VERB_SATISFIED in verbs or _move_on_met(attempt.package, attempt)
    if met and attempt.completed_at is None and VERB_SATISFIED not in verbs:
        # The LMS says the AU is satisfied once its moveOn criterion is met (cmi5 9.5.4.2).
        satisfied = _satisfied_statement(attempt)
        PackageStatement.objects.create(
            attempt=attempt,
            statement_id=uuid.UUID(satisfied["id"]),
            verb=VERB_SATISFIED,
            statement=satisfied,
            stored_at=now,
        )
    # The lesson follows the AU's moveOn (completed and/or passed, as its author set it).
    # A "satisfied" the AU sends means its moveOn is met: a pass, when moveOn asks for one.
    passed = attempt.success_status == "passed" or (
        VERB_SATISFIED in verbs and attempt.package.move_on in ("Passed", "CompletedAndPassed")
    )
    _finish(attempt=attempt, completed=met, passed=passed)
    return ids


def cmi5_state_put(*, attempt: PackageAttempt, state_id: str, document: Any) -> None:
    """Keep a State API document the AU stored (any stateId but LMS.LaunchData, which is ours)."""
    PackageAttempt.objects.filter(pk=attempt.pk).update(
        cmi={**attempt.cmi, "state": {**attempt.cmi.get("state", {}), state_id[:200]: document}},
        updated_at=timezone.now(),
    )


def cmi5_state_delete(*, attempt: PackageAttempt, state_id: str) -> None:
    """Forget one State API document of the AU (all of them without ``state_id``)."""
    documents = dict(attempt.cmi.get("state", {}))
    if state_id:
        documents.pop(state_id, None)
    else:
        documents = {}
    PackageAttempt.objects.filter(pk=attempt.pk).update(
        cmi={**attempt.cmi, "state": documents}, updated_at=timezone.now()
    )


def package_files_delete(*, key) -> None:
    """Remove a deleted package's files from the storage (after its row is gone)."""
    prefix = f"packages/{key}/"

    def walk(folder: str) -> list[str]:
        try:
            directories, files = default_storage.listdir(folder)
        except FileNotFoundError:
            return []
        names = [folder + name for name in files]
        for directory in directories:
            names += walk(f"{folder}{directory}/")
        return names

    _delete_files(walk(prefix))
