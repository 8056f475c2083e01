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

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learnward.assessments.models import (
    Assessment,
    Choice,
    Question,
    QuestionCategory,
    RubricCriterion,
)
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
from .exporter import FORMAT, MEDIA_REFERENCE, VERSION

MANIFEST = "course.json"
MAX_MANIFEST_BYTES = 20 * 1024 * 1024
LESSON_NAME = re.compile(r"^lessons/[0-9]{2,}-[a-z0-9][a-z0-9_-]*\.md$")
MEDIA_NAME = re.compile(r"^media/(?P<sha>[0-9a-f]{64})\.(?P<ext>[a-z0-9]{1,10})$")
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
    criteria: list[dict[str, Any]]


@dataclass
class CategoryPlan:
    name: str
    questions: list[QuestionPlan]


@dataclass
class AssessmentPlan:
    fields: dict[str, Any]
    draw: list[tuple[str, int]]  # (category name, questions drawn)


@dataclass
class Plan:
    course: dict[str, Any]
    awarding_body: dict[str, str] | None
    renews_itself: bool
    image: int | None
    modules: list[ModulePlan]
    media: list[MediaPlan]
    categories: list[CategoryPlan]
    assessment: AssessmentPlan | None
    quizzes: list[tuple[int, AssessmentPlan]]  # (index in modules, quiz)

    @property
    def lesson_count(self) -> int:
        return sum(len(m.lessons) for m in self.modules)

    @property
    def question_count(self) -> int:
        return sum(len(c.questions) for c in self.categories)


def _refuse(where: str, problem: str) -> CourseImportRefused:
    # ``where`` is a place in the JSON (course.modules[0].title): it is not translated.
    return CourseImportRefused(
        _("In course.json, %(place)s %(problem)s") % {"place": where, "problem": problem}
    )


def max_length(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


class Reader:
    """Typed access to one JSON object, naming its place in messages."""

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise _refuse(where, _("must be an object ({...})."))
        self.value = value
        self.where = where

    def at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        if key not in self.value:
            if default is _MISSING:
                raise _refuse(self.at(key), _("is missing."))
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
            raise _refuse(self.at(key), _("must be text."))
        if required and not value.strip():
            raise _refuse(self.at(key), _("is empty."))
        if limit is not None and len(value) > limit:
            raise _refuse(
                self.at(key),
                _("is longer than %(limit)s characters (%(count)s).")
                % {"limit": limit, "count": len(value)},
            )
        if "\x00" in value:
            raise _refuse(self.at(key), _("has a NUL character."))
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
            raise _refuse(self.at(key), _("must be a whole number."))
        if not minimum <= value <= maximum:
            raise _refuse(
                self.at(key),
                _("must be from %(minimum)s to %(maximum)s (it is %(value)s).")
                % {"minimum": minimum, "maximum": maximum, "value": value},
            )
        return value

    def boolean(self, key: str, default: Any = _MISSING) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise _refuse(self.at(key), _("must be true or false."))
        return value

    def choice(self, key: str, choices, default: Any = _MISSING) -> str:
        value = self.raw(key, default)
        allowed = [str(c) for c in choices]
        if value not in allowed:
            shown = ", ".join(f'"{c}"' for c in allowed)
            raise _refuse(self.at(key), _("must be one of %(shown)s.") % {"shown": shown})
        return value

    def decimal(
        self,
        key: str,
        *,
        digits: int,
        places: int,
        null: bool = False,
        allow_negative: bool = False,
    ) -> Decimal | None:
        value = self.raw(key, None if null else _MISSING)
        if value is None and null:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise _refuse(self.at(key), _('must be a number written as text, like "2.5".'))
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise _refuse(self.at(key), _('must be a number written as text, like "2.5".')) from exc
        if not number.is_finite() or (number < 0 and not allow_negative):
            raise _refuse(self.at(key), _("must be a number of 0 or more."))
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            raise _refuse(
                self.at(key), _("may have at most %(places)s decimal places.") % {"places": places}
            )
        if abs(number) >= Decimal(10) ** (digits - places):
            raise _refuse(
                self.at(key), _("must be less than %(value)s.") % {"value": 10 ** (digits - places)}
            )
        return number

    def items(self, key: str, *, default: Any = _MISSING) -> list[Any]:
        value = self.raw(key, default)
        if not isinstance(value, list):
            raise _refuse(self.at(key), _("must be a list ([...])."))
        return value


def _text_file(archive: CourseArchive, name: str, where: str) -> str:
    if name not in archive.names:
        raise CourseImportRefused(
            _("The file %(name)s named by %(where)s is not in the course file.")
            % {"name": name, "where": where}
        )
    data = archive.read(name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CourseImportRefused(
            _("The lesson file %(name)s is not UTF-8 text.") % {"name": name}
        ) from exc
    if "\x00" in text:
        raise CourseImportRefused(
            _("The lesson file %(name)s has a NUL character.") % {"name": name}
        )
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
            raise _refuse("course.awarding_body.website", _("must be an http or https address."))
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
            raise _refuse(
                r.at("id"),
                _("repeats the id %(old_id)s of another media item.") % {"old_id": old_id},
            )
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
                raise _refuse(r.at("file"), _("must be null: an embedded video has no file."))
        else:
            name = r.text("file")
            match = MEDIA_NAME.match(name)
            if not match:
                raise _refuse(r.at("file"), _("must be a path like media/<sha256>.<extension>."))
            sha = r.text("sha256")
            if sha != match["sha"]:
                raise _refuse(
                    r.at("sha256"),
                    _("does not match the checksum in the file name %(name)s.") % {"name": name},
                )
            if name not in archive.names:
                raise CourseImportRefused(
                    _("The media file %(name)s (for “%(title)s”) is missing from the course file.")
                    % {"name": name, "title": fields["title"]}
                )
            data = archive.read(name)
            if hashlib.sha256(data).hexdigest() != sha:
                raise CourseImportRefused(
                    _(
                        "The media file %(name)s (for “%(title)s”) does not match its checksum: the file is damaged or was changed."
                    )
                    % {"name": name, "title": fields["title"]}
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
                raise _refuse(r.at("captions"), _("must be null: only a video has captions."))
            cr = Reader(captions, r.at("captions"))
            name = cr.text("file")
            sha = cr.text("sha256")
            if name not in archive.names:
                raise CourseImportRefused(
                    _(
                        "The captions file %(name)s (for “%(title)s”) is missing from the course file."
                    )
                    % {"name": name, "title": fields["title"]}
                )
            data = archive.read(name)
            if hashlib.sha256(data).hexdigest() != sha:
                raise CourseImportRefused(
                    _(
                        "The captions file %(name)s (for “%(title)s”) does not match its checksum: the file is damaged or was changed."
                    )
                    % {"name": name, "title": fields["title"]}
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
                raise _refuse(r.at("file"), _("must be a path like lessons/01-introduction.md."))
            if name in used_files:
                raise _refuse(
                    r.at("file"),
                    _("names %(name)s, which another lesson uses too.") % {"name": name},
                )
            used_files.add(name)
            markdown = _text_file(archive, name, r.at("file"))
            sha = r.raw("sha256", None)
            if sha is not None and hashlib.sha256(markdown.encode()).hexdigest() != sha:
                raise CourseImportRefused(
                    _(
                        "The lesson file %(name)s does not match its checksum: the file is damaged or was changed after export (remove its sha256 from course.json if you edited it on purpose)."
                    )
                    % {"name": name}
                )
            for _whole, reference in MEDIA_REFERENCE.findall(markdown):
                if int(reference) not in media_ids:
                    raise CourseImportRefused(
                        _(
                            "The lesson “%(title)s” (%(name)s) shows media:%(reference)s, which is not in the course file's media list."
                        )
                        % {"title": title, "name": name, "reference": reference}
                    )
            module.lessons.append(LessonPlan(title, minutes, markdown, name))
        modules.append(module)
    return modules


CHOICE_KINDS = {Question.Kind.SINGLE, Question.Kind.MULTIPLE}
PARTIAL_KINDS = {Question.Kind.MULTIPLE, Question.Kind.MATCHING, Question.Kind.ORDERING}


def _question(q: Reader) -> QuestionPlan:
    """One bank question, held to the rules the studio's question form applies to its type."""
    kind = q.choice("kind", Question.Kind.values)
    fields: dict[str, Any] = {
        "kind": kind,
        "text": q.text("text"),
        "explanation": q.text("explanation", required=False, default=""),
        "points": q.integer("points", minimum=1, default=1),
        "partial_credit": q.boolean("partial_credit", default=False),
        "match": q.choice("match", Question.Match.values, default=Question.Match.CASE_INSENSITIVE),
        "numeric_answer": None,
        "numeric_tolerance": Decimal(0),
    }
    if fields["partial_credit"] and kind not in PARTIAL_KINDS:
        raise _refuse(
            q.at("partial_credit"),
            _("can be true only for multiple choice, matching and ordering questions."),
        )
    choices = []
    for c_index, raw_choice in enumerate(q.items("choices", default=[])):
        c = Reader(raw_choice, q.at(f"choices[{c_index}]"))
        choices.append(
            {
                "text": c.text("text", limit=max_length(Choice, "text")),
                "match_text": c.text(
                    "match_text",
                    limit=max_length(Choice, "match_text"),
                    required=False,
                    default="",
                ),
                "is_correct": c.boolean("correct"),
            }
        )
    criteria = []
    for r_index, raw_criterion in enumerate(q.items("criteria", default=[])):
        r = Reader(raw_criterion, q.at(f"criteria[{r_index}]"))
        criteria.append(
            {
                "text": r.text("text", limit=max_length(RubricCriterion, "text")),
                "max_marks": r.integer("max_marks", minimum=1, maximum=100),
            }
        )
    right = sum(1 for choice in choices if choice["is_correct"])
    where = q.at("choices")
    if kind in CHOICE_KINDS:
        if len(choices) < 2:
            raise _refuse(where, _("must hold at least two choices."))
        if kind == Question.Kind.SINGLE and right != 1:
            raise _refuse(where, _("must have exactly one correct choice (single choice)."))
        if right < 1:
            raise _refuse(where, _("has no correct choice."))
    elif kind == Question.Kind.TRUE_FALSE:
        if [c["text"] for c in choices] != ["True", "False"] or right != 1:
            raise _refuse(where, _('must be "True" and "False", exactly one of them correct.'))
    elif kind == Question.Kind.SHORT:
        if not choices or right != len(choices):
            raise _refuse(where, _("must list at least one accepted answer, each correct."))
    elif kind == Question.Kind.NUMERIC:
        fields["numeric_answer"] = q.decimal(
            "numeric_answer", digits=14, places=6, allow_negative=True
        )
        fields["numeric_tolerance"] = q.decimal("numeric_tolerance", digits=14, places=6)
        if choices:
            raise _refuse(where, _("must be empty for a number question."))
    elif kind == Question.Kind.MATCHING:
        if len(choices) < 2 or any(not c["match_text"].strip() for c in choices):
            raise _refuse(where, _("must hold at least two pairs, each with a match_text."))
    elif kind == Question.Kind.ORDERING:
        if len(choices) < 2:
            raise _refuse(where, _("must hold at least two items, in the right order."))
    elif kind == Question.Kind.ESSAY:
        if choices:
            raise _refuse(where, _("must be empty for an essay."))
        if not criteria:
            raise _refuse(q.at("criteria"), _("must hold at least one rubric criterion."))
        # An essay is worth its rubric's total, as the studio makes it.
        fields["points"] = sum(c["max_marks"] for c in criteria)
    if criteria and kind != Question.Kind.ESSAY:
        raise _refuse(q.at("criteria"), _("must be empty: only an essay has a rubric."))
    return QuestionPlan(fields, choices, criteria)


def _bank(doc: Reader) -> list[CategoryPlan]:
    raw = doc.raw("question_bank", None)
    if raw is None:
        return []
    bank = Reader(raw, "question_bank")
    categories: list[CategoryPlan] = []
    seen: set[str] = set()
    for index, raw_category in enumerate(bank.items("categories")):
        c = Reader(raw_category, f"question_bank.categories[{index}]")
        name = c.text("name", limit=max_length(QuestionCategory, "name")).strip()
        if name.lower() in seen:
            raise _refuse(c.at("name"), _("repeats the category name “%(name)s”.") % {"name": name})
        seen.add(name.lower())
        questions = [
            _question(Reader(raw_question, c.at(f"questions[{q_index}]")))
            for q_index, raw_question in enumerate(c.items("questions", default=[]))
        ]
        categories.append(CategoryPlan(name, questions))
    return categories


def _assessment(raw: Any, where: str, categories: list[CategoryPlan]) -> AssessmentPlan:
    a = Reader(raw, where)
    fields = {
        "title": a.text("title", limit=max_length(Assessment, "title")),
        "instructions": a.text("instructions", required=False, default=""),
        "time_limit_minutes": a.integer("time_limit_minutes", minimum=1, null=True, default=None),
        "shuffle_questions": a.boolean("shuffle_questions", default=False),
        "shuffle_choices": a.boolean("shuffle_choices", default=False),
        "second_marking": a.boolean("second_marking", default=False),
    }
    available = {c.name.lower(): (c.name, len(c.questions)) for c in categories}
    draw: list[tuple[str, int]] = []
    for index, raw_rule in enumerate(a.items("draw", default=[])):
        r = Reader(raw_rule, a.at(f"draw[{index}]"))
        name = r.text("category")
        count = r.integer("count", minimum=1)
        if name.strip().lower() not in available:
            raise _refuse(
                r.at("category"),
                _("names “%(name)s”, which is not a category of the bank.") % {"name": name},
            )
        real, size = available[name.strip().lower()]
        if count > size:
            raise _refuse(
                r.at("count"),
                _("draws %(count)s questions from “%(category)s”, which holds only %(size)s.")
                % {"count": count, "category": real, "size": size},
            )
        if any(existing == real for existing, _ in draw):
            raise _refuse(
                r.at("category"), _("names “%(category)s” a second time.") % {"category": real}
            )
        draw.append((real, count))
    return AssessmentPlan(fields, draw)


def _assessments(
    doc: Reader, categories: list[CategoryPlan], modules: list[ModulePlan]
) -> tuple[AssessmentPlan | None, list[tuple[int, AssessmentPlan]]]:
    raw = doc.raw("assessment", None)
    final = None if raw is None else _assessment(raw, "assessment", categories)
    quizzes = []
    seen: set[int] = set()
    for index, raw_quiz in enumerate(doc.items("quizzes", default=[])):
        where = f"quizzes[{index}]"
        module = Reader(raw_quiz, where).integer("module", minimum=0, maximum=len(modules) - 1)
        if module in seen:
            raise _refuse(f"{where}.module", _("names a module that already has a quiz."))
        seen.add(module)
        quizzes.append((module, _assessment(raw_quiz, where, categories)))
    return final, quizzes


def read_course(archive: CourseArchive) -> Plan:
    """Check ``course.json`` and every file it names; see the module's docstring."""
    if MANIFEST not in archive.names:
        raise CourseImportRefused(
            _("The file has no course.json at its top level: it is not a Learnward course export.")
        )
    if archive.size(MANIFEST) > MAX_MANIFEST_BYTES:
        raise CourseImportRefused(_("The course.json is larger than 20 MB."))
    try:
        raw = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CourseImportRefused(_("The course.json is not UTF-8 text.")) from exc
    except (json.JSONDecodeError, RecursionError) as exc:
        raise CourseImportRefused(
            _("The course.json is not valid JSON (%(error)s).") % {"error": exc}
        ) from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise CourseImportRefused(
            _(
                'The course.json does not say "format": "%(format)s": it is not a Learnward course export.'
            )
            % {"format": FORMAT}
        )
    version = raw.get("version")
    if version != VERSION:
        shown = json.dumps(version)
        newer = isinstance(version, int) and not isinstance(version, bool) and version > VERSION
        raise CourseImportRefused(
            (
                _(
                    "The course file is format version %(shown)s; this site reads version "
                    "%(version)s. It was made by a newer Learnward: update this site, or export "
                    "the course again from a site of the same version."
                )
                if newer
                else _(
                    "The course file is format version %(shown)s; this site reads version "
                    "%(version)s. It is not a course file this site can read."
                )
            )
            % {"shown": shown, "version": VERSION}
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
                "course.image",
                _("names media %(image)s, which is not an image in the list.") % {"image": image},
            )
    modules = _modules(doc, archive, media_ids, used_files)
    categories = _bank(doc)
    assessment, quizzes = _assessments(doc, categories, modules)
    plan = Plan(
        course=fields,
        awarding_body=body,
        renews_itself=renews_itself,
        image=image,
        modules=modules,
        media=media,
        categories=categories,
        assessment=assessment,
        quizzes=quizzes,
    )
    unnamed = sorted(archive.names - used_files)
    if unnamed:
        message = _(
            "The entry %(name)s is not named by course.json: a course file holds only "
            "course.json and the lessons and media it names."
        ) % {"name": unnamed[0]}
        if len(unnamed) > 1:
            message += " " + ngettext(
                "(%(count)s more like it.)", "(%(count)s more like it.)", len(unnamed) - 1
            ) % {"count": len(unnamed) - 1}
        raise CourseImportRefused(message)
    return plan
