"""Reading and checking a course file's ``course.json`` and every file it names.

:func:`read_course` returns a :class:`Plan`: plain values that fit the models' fields, and the
files' bytes, checked. It writes nothing; :func:`learnward.transfer.services.course_import`
stores the plan. Every problem is a :class:`CourseImportRefused` whose message names the place
in the file (``modules[2].lessons[0].title``) and what is wrong with it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from learnward.assessments.models import Assessment, Choice, Question
from learnward.catalog.models import (
    REGISTRATION_FIELDS,
    AwardingBody,
    Course,
    FieldRequirement,
    Lesson,
    MediaItem,
    Module,
)

from . import content
from .archive import CourseArchive, CourseImportRefused
from .exporter import FORMAT, VERSION

MANIFEST = "course.json"
MAX_MANIFEST_BYTES = 20 * 1024 * 1024
LESSON_NAME = re.compile(r"^lessons/[0-9]{2,}-[a-z0-9][a-z0-9_-]*\.md$")
MEDIA_NAME = re.compile(r"^media/(?P<sha>[0-9a-f]{64})\.(?P<ext>[a-z0-9]{1,10})$")
# A media reference in lesson Markdown: ![alt](media:12), [Title](media:13) or a reference
# definition "[x]: media:14"; the same pattern as learnward.media.selectors.media_used_in (a test
# holds them together), so what is rewritten is exactly what the lesson renders as media.
MEDIA_REFERENCE = re.compile(
    r"((?:\]\(\s*<?|^\s{0,3}\[[^\]\n]+\]:\s*<?)media:)(\d+)\b", re.MULTILINE
)
_MISSING = object()


@dataclass
class MediaPlan:
    old_id: int
    fields: dict[str, Any]
    file_name: str = ""
    data: bytes = b""
    extension: str = ""
    captions: bytes = b""


@dataclass
class LessonPlan:
    title: str
    estimated_minutes: int | None
    markdown: str
    file_name: str


@dataclass
class ModulePlan:
    title: str
    lessons: list[LessonPlan] = field(default_factory=list)


@dataclass
class QuestionPlan:
    fields: dict[str, Any]
    choices: list[dict[str, Any]]


@dataclass
class Plan:
    course: dict[str, Any]
    awarding_body: dict[str, str] | None
    renews_itself: bool
    image: int | None
    modules: list[ModulePlan]
    media: list[MediaPlan]
    assessment: dict[str, Any] | None
    questions: list[QuestionPlan]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def lesson_count(self) -> int:
        return sum(len(m.lessons) for m in self.modules)


def _refuse(where: str, problem: str) -> CourseImportRefused:
    return CourseImportRefused(f"In course.json, {where} {problem}")


def max_length(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


class Reader:
    """Typed access to one JSON object, naming its place in messages."""

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise _refuse(where, "must be an object ({...}).")
        self.value = value
        self.where = where

    def at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        if key not in self.value:
            if default is _MISSING:
                raise _refuse(self.at(key), "is missing.")
            return default
        return self.value[key]

    def text(
        self,
        key: str,
        *,
        limit: int | None = None,
        required: bool = True,
        default: str | object = _MISSING,
    ) -> str:
        value = self.raw(key, default)
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            raise _refuse(self.at(key), "must be text.")
        if required and not value.strip():
            raise _refuse(self.at(key), "is empty.")
        if limit is not None and len(value) > limit:
            raise _refuse(self.at(key), f"is longer than {limit} characters ({len(value)}).")
        if "\x00" in value:
            raise _refuse(self.at(key), "has a NUL character.")
        return value

    def integer(
        self,
        key: str,
        *,
        minimum: int = 0,
        maximum: int = 32767,
        null: bool = False,
        default: Any = _MISSING,
    ) -> int | None:
        value = self.raw(key, default)
        if value is None and null:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise _refuse(self.at(key), "must be a whole number.")
        if not minimum <= value <= maximum:
            raise _refuse(self.at(key), f"must be from {minimum} to {maximum} (it is {value}).")
        return value

    def boolean(self, key: str, default: Any = _MISSING) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise _refuse(self.at(key), "must be true or false.")
        return value

    def choice(self, key: str, choices, default: Any = _MISSING) -> str:
        value = self.raw(key, default)
        allowed = [str(c) for c in choices]
        if value not in allowed:
            shown = ", ".join(f'"{c}"' for c in allowed)
            raise _refuse(self.at(key), f"must be one of {shown}.")
        return value

    def decimal(self, key: str, *, digits: int, places: int, null: bool = False) -> Decimal | None:
        value = self.raw(key, None if null else _MISSING)
        if value is None and null:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise _refuse(self.at(key), 'must be a number written as text, like "2.5".')
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise _refuse(self.at(key), 'must be a number written as text, like "2.5".') from exc
        if not number.is_finite() or number < 0:
            raise _refuse(self.at(key), "must be a number of 0 or more.")
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            raise _refuse(self.at(key), f"may have at most {places} decimal places.")
        if number >= Decimal(10) ** (digits - places):
            raise _refuse(self.at(key), f"must be less than {10 ** (digits - places)}.")
        return number

    def items(self, key: str, *, default: Any = _MISSING) -> list[Any]:
        value = self.raw(key, default)
        if not isinstance(value, list):
            raise _refuse(self.at(key), "must be a list ([...]).")
        return value


def _text_file(archive: CourseArchive, name: str, where: str) -> str:
    if name not in archive.names:
        raise CourseImportRefused(f"The file {name} named by {where} is not in the course file.")
    data = archive.read(name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CourseImportRefused(f"The lesson file {name} is not UTF-8 text.") from exc
    if "\x00" in text:
        raise CourseImportRefused(f"The lesson file {name} has a NUL character.")
    return text


def _course(doc: Reader) -> tuple[dict, dict | None, bool, int | None]:
    c = Reader(doc.raw("course"), "course")
    fields: dict[str, Any] = {
        "title": c.text("title", limit=max_length(Course, "title")),
        "slug": c.text("slug", limit=max_length(Course, "slug"), required=False, default=""),
        "summary": c.text("summary", limit=max_length(Course, "summary")),
        "description": c.text("description", required=False, default=""),
        "cpd_hours": c.decimal("cpd_hours", digits=5, places=1),
        "course_type": c.choice("course_type", Course.CourseType.values),
        "pass_mark": c.integer("pass_mark", minimum=1, maximum=100),
        "certificate_validity_months": c.integer(
            "certificate_validity_months", minimum=1, null=True, default=None
        ),
        "max_attempts": c.integer("max_attempts", minimum=1),
        "entry_requirements": c.text("entry_requirements", required=False, default=""),
        "certificate_layout": c.choice(
            "certificate_layout",
            [value for value, _ in Course._meta.get_field("certificate_layout").choices],
            default="classic",
        ),
        "accreditation_number": c.text(
            "accreditation_number",
            limit=max_length(Course, "accreditation_number"),
            required=False,
            default="",
        ),
        "tutors_see_registration": c.boolean("tutors_see_registration", default=False),
    }
    registration = Reader(c.raw("registration", {}), "course.registration")
    for name in REGISTRATION_FIELDS:
        fields[f"{name}_requirement"] = registration.choice(
            name, FieldRequirement.values, default=""
        )
    body = None
    raw_body = c.raw("awarding_body", None)
    if raw_body is not None:
        b = Reader(raw_body, "course.awarding_body")
        body = {
            "name": b.text("name", limit=max_length(AwardingBody, "name")),
            "purpose": b.text("purpose"),
            "website": b.text(
                "website", limit=max_length(AwardingBody, "website"), required=False, default=""
            ),
        }
        if body["website"] and urlsplit(body["website"]).scheme not in ("http", "https"):
            raise _refuse("course.awarding_body.website", "must be an http or https address.")
    renews_itself = c.boolean("renews_itself", default=False)
    image = c.integer("image", minimum=1, maximum=2**63 - 1, null=True, default=None)
    return fields, body, renews_itself, image


def _media(doc: Reader, archive: CourseArchive, used_files: set[str]) -> list[MediaPlan]:
    plans: list[MediaPlan] = []
    seen_ids: set[int] = set()
    for index, raw in enumerate(doc.items("media", default=[])):
        r = Reader(raw, f"media[{index}]")
        old_id = r.integer("id", minimum=1, maximum=2**63 - 1)
        if old_id in seen_ids:
            raise _refuse(r.at("id"), f"repeats the id {old_id} of another media item.")
        seen_ids.add(old_id)
        kind = r.choice("kind", MediaItem.Kind.values)
        fields: dict[str, Any] = {
            "kind": kind,
            "title": r.text("title", limit=max_length(MediaItem, "title")),
            "alt_text": r.text(
                "alt_text", limit=max_length(MediaItem, "alt_text"), required=False, default=""
            ),
            "transcript": r.text("transcript", required=False, default=""),
            "shows_people": r.boolean("shows_people", default=False),
            "duration_seconds": r.decimal("duration_seconds", digits=9, places=2, null=True),
            "embed_url": "",
        }
        plan = MediaPlan(old_id=old_id, fields=fields)
        if kind == MediaItem.Kind.EMBED:
            url = r.text("embed_url", limit=max_length(MediaItem, "embed_url"))
            fields["embed_url"] = content.check_embed(url, r.at("embed_url"))
            if r.raw("file", None) is not None:
                raise _refuse(r.at("file"), "must be null: an embedded video has no file.")
        else:
            name = r.text("file")
            match = MEDIA_NAME.match(name)
            if not match:
                raise _refuse(r.at("file"), "must be a path like media/<sha256>.<extension>.")
            sha = r.text("sha256")
            if sha != match["sha"]:
                raise _refuse(
                    r.at("sha256"), f"does not match the checksum in the file name {name}."
                )
            if name not in archive.names:
                raise CourseImportRefused(
                    f"The media file {name} (for “{fields['title']}”) is missing from the course "
                    "file."
                )
            data = archive.read(name)
            if hashlib.sha256(data).hexdigest() != sha:
                raise CourseImportRefused(
                    f"The media file {name} (for “{fields['title']}”) does not match its "
                    "checksum: the file is damaged or was changed."
                )
            checked = content.check_media(kind, data, name, fields["title"])
            plan.file_name, plan.data, plan.extension = name, data, checked.extension
            fields.update(
                content_type=checked.content_type,
                size=len(data),
                sha256=sha,
                width=checked.width,
                height=checked.height,
            )
            if kind == MediaItem.Kind.VIDEO:
                fields["duration_seconds"] = checked.duration_seconds
            used_files.add(name)
        captions = r.raw("captions", None)
        if captions is not None:
            if kind != MediaItem.Kind.VIDEO:
                raise _refuse(r.at("captions"), "must be null: only a video has captions.")
            cr = Reader(captions, r.at("captions"))
            name = cr.text("file")
            sha = cr.text("sha256")
            if name not in archive.names:
                raise CourseImportRefused(
                    f"The captions file {name} (for “{fields['title']}”) is missing from the "
                    "course file."
                )
            data = archive.read(name)
            if hashlib.sha256(data).hexdigest() != sha:
                raise CourseImportRefused(
                    f"The captions file {name} (for “{fields['title']}”) does not match its "
                    "checksum: the file is damaged or was changed."
                )
            content.check_captions(data, name, fields["title"])
            plan.captions = data
            used_files.add(name)
        plans.append(plan)
    return plans


def _modules(
    doc: Reader, archive: CourseArchive, media_ids: set[int], used_files: set[str]
) -> list[ModulePlan]:
    modules: list[ModulePlan] = []
    for m_index, raw in enumerate(doc.items("modules")):
        m = Reader(raw, f"modules[{m_index}]")
        module = ModulePlan(title=m.text("title", limit=max_length(Module, "title")))
        for l_index, raw_lesson in enumerate(m.items("lessons")):
            r = Reader(raw_lesson, m.at(f"lessons[{l_index}]"))
            title = r.text("title", limit=max_length(Lesson, "title"))
            minutes = r.integer("estimated_minutes", minimum=0, null=True, default=None)
            name = r.text("file")
            if not LESSON_NAME.match(name):
                raise _refuse(r.at("file"), "must be a path like lessons/01-introduction.md.")
            if name in used_files:
                raise _refuse(r.at("file"), f"names {name}, which another lesson uses too.")
            used_files.add(name)
            markdown = _text_file(archive, name, r.at("file"))
            sha = r.raw("sha256", None)
            if sha is not None and hashlib.sha256(markdown.encode()).hexdigest() != sha:
                raise CourseImportRefused(
                    f"The lesson file {name} does not match its checksum: the file is damaged or "
                    "was changed after export (remove its sha256 from course.json if you edited "
                    "it on purpose)."
                )
            for _, reference in MEDIA_REFERENCE.findall(markdown):
                if int(reference) not in media_ids:
                    raise CourseImportRefused(
                        f"The lesson “{title}” ({name}) shows media:{reference}, which is not in "
                        "the course file's media list."
                    )
            module.lessons.append(LessonPlan(title, minutes, markdown, name))
        modules.append(module)
    return modules


def _assessment(doc: Reader) -> tuple[dict | None, list[QuestionPlan]]:
    raw = doc.raw("assessment", None)
    if raw is None:
        return None, []
    a = Reader(raw, "assessment")
    fields = {
        "title": a.text("title", limit=max_length(Assessment, "title")),
        "instructions": a.text("instructions", required=False, default=""),
        "time_limit_minutes": a.integer("time_limit_minutes", minimum=1, null=True, default=None),
    }
    questions = []
    for q_index, raw_question in enumerate(a.items("questions", default=[])):
        q = Reader(raw_question, f"assessment.questions[{q_index}]")
        kind = q.choice("kind", Question.Kind.values)
        question = {
            "kind": kind,
            "text": q.text("text"),
            "explanation": q.text("explanation", required=False, default=""),
            "points": q.integer("points", minimum=1, default=1),
            "partial_credit": q.boolean("partial_credit", default=False),
        }
        choices = []
        for c_index, raw_choice in enumerate(q.items("choices")):
            c = Reader(raw_choice, q.at(f"choices[{c_index}]"))
            choices.append(
                {
                    "text": c.text("text", limit=max_length(Choice, "text")),
                    "is_correct": c.boolean("correct"),
                }
            )
        right = sum(1 for choice in choices if choice["is_correct"])
        if len(choices) < 2:
            raise _refuse(q.at("choices"), "must hold at least two choices.")
        if right == 0:
            raise _refuse(q.at("choices"), "has no correct choice.")
        if kind != Question.Kind.MULTIPLE and right > 1:
            raise _refuse(q.at("choices"), "has more than one correct choice.")
        questions.append(QuestionPlan(question, choices))
    return fields, questions


def read_course(archive: CourseArchive) -> Plan:
    """Check ``course.json`` and every file it names; see the module's docstring."""
    if MANIFEST not in archive.names:
        raise CourseImportRefused(
            "The file has no course.json at its top level: it is not a Learnward course export."
        )
    if archive.size(MANIFEST) > MAX_MANIFEST_BYTES:
        raise CourseImportRefused("The course.json is larger than 20 MB.")
    try:
        raw = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CourseImportRefused("The course.json is not UTF-8 text.") from exc
    except (json.JSONDecodeError, RecursionError) as exc:
        raise CourseImportRefused(f"The course.json is not valid JSON ({exc}).") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise CourseImportRefused(
            f'The course.json does not say "format": "{FORMAT}": it is not a Learnward course '
            "export."
        )
    version = raw.get("version")
    if version != VERSION:
        shown = json.dumps(version)
        raise CourseImportRefused(
            f"The course file is format version {shown}; this site reads version {VERSION}. "
            + (
                "It was made by a newer Learnward: update this site, or export the course again "
                "from a site of the same version."
                if isinstance(version, int) and not isinstance(version, bool) and version > VERSION
                else "It is not a course file this site can read."
            )
        )
    doc = Reader(raw, "")
    fields, body, renews_itself, image = _course(doc)
    used_files = {MANIFEST}
    media = _media(doc, archive, used_files)
    media_ids = {plan.old_id for plan in media}
    if image is not None:
        kinds = {plan.old_id: plan.fields["kind"] for plan in media}
        if kinds.get(image) != MediaItem.Kind.IMAGE:
            raise _refuse(
                "course.image", f"names media {image}, which is not an image in the list."
            )
    modules = _modules(doc, archive, media_ids, used_files)
    assessment, questions = _assessment(doc)
    plan = Plan(
        course=fields,
        awarding_body=body,
        renews_itself=renews_itself,
        image=image,
        modules=modules,
        media=media,
        assessment=assessment,
        questions=questions,
    )
    unnamed = sorted(archive.names - used_files)
    if unnamed:
        raise CourseImportRefused(
            f"The entry {unnamed[0]} is not named by course.json: a course file holds only "
            "course.json and the lessons and media it names."
            + (f" ({len(unnamed) - 1} more like it.)" if len(unnamed) > 1 else "")
        )
    return plan
