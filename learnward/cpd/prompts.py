"""Reflection prompts offered after a course: from templates by default, tailored with AI on.

The templates use the course's title and its module headings. With a provider configured and the
learner opted in, the AI service may suggest questions tailored to the course content; only the
course's own text (titles and headings) is sent, never anything the learner wrote.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

STAGES = ("What?", "So what?", "Now what?")
STAGE_FIELDS = {"What?": "what", "So what?": "so_what", "Now what?": "now_what"}


@dataclass(frozen=True)
class Prompts:
    questions: dict[str, str]  # stage -> question
    tailored: bool = False
    note: str = ""


def _listing(items: list[str]) -> str:
    quoted = [f"“{item}”" for item in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return _("%(items)s and %(last)s") % {"items": ", ".join(quoted[:-1]), "last": quoted[-1]}


def course_headings(course_id: int) -> tuple[list[str], list[str]]:
    """(module titles, an outline of modules, lessons and lesson sections) for a course."""
    from learnward.ai.models import LessonPassage
    from learnward.catalog.models import Lesson, Module

    modules = list(Module.objects.live().filter(course_id=course_id).order_by("position", "id"))
    lessons = (
        Lesson.objects.live()
        .filter(module__course_id=course_id)
        .order_by("module__position", "module_id", "position", "id")
    )
    sections: dict[int, list[str]] = {}
    for lesson_id, heading in (
        LessonPassage.objects.filter(course_id=course_id)
        .exclude(heading="")
        .order_by("lesson_id", "position")
        .values_list("lesson_id", "heading")
    ):
        if heading not in sections.setdefault(lesson_id, []):
            sections[lesson_id].append(heading)
    by_module: dict[int, list] = {}
    for lesson in lessons:
        by_module.setdefault(lesson.module_id, []).append(lesson)
    outline: list[str] = []
    for module in modules:
        outline.append(f"Module: {module.title}")
        for lesson in by_module.get(module.pk, []):
            outline.append(f"  Lesson: {lesson.title}")
            outline.extend(f"    Section: {h}" for h in sections.get(lesson.pk, []))
    return [m.title for m in modules], outline


def template_prompts(*, course_title: str, module_titles: list[str]) -> Prompts:
    modules = [t for t in module_titles if t.strip()]
    first = modules[:3]
    if first:
        what = _(
            "What did you learn on “%(course)s”? Which ideas from %(modules)s were new "
            "to you, or changed how you see your work?"
        ) % {"course": course_title, "modules": _listing(first)}
        so_what = _(
            "Why does what you learned in %(module)s matter for your practice, the people you "
            "work with or your organisation?"
        ) % {"module": _listing(modules[-1:])}
    else:
        what = _("What did you learn on “%(course)s” that was new to you?") % {
            "course": course_title
        }
        so_what = _(
            "Why does it matter for your practice, the people you work with or your organisation?"
        )
    now_what = _(
        "What will you do differently after “%(course)s”? Name one step you will take, and when."
    ) % {"course": course_title}
    return Prompts({"What?": what, "So what?": so_what, "Now what?": now_what})


def prompts_for_course(*, user, course_id: int, course_title: str, tailored: bool) -> Prompts:
    """Template prompts; with ``tailored`` and AI on for ``user``, the AI's suggestions instead.

    Any stage the provider does not answer keeps its template question; a failure keeps them all
    and says why.
    """
    from learnward.ai.selectors import ai_status
    from learnward.ai.services import reflection_prompts_tailored

    module_titles, outline = course_headings(course_id)
    base = template_prompts(course_title=course_title, module_titles=module_titles)
    if not tailored:
        return base
    status = ai_status(user=user)
    if not status.enabled:
        return Prompts(
            base.questions, note=_("No tailored prompts: %(reason)s") % {"reason": status.reason}
        )
    suggested = reflection_prompts_tailored(
        user=user, course_title=course_title, outline=outline or module_titles
    )
    if not suggested:
        return Prompts(
            base.questions,
            note=_("The AI service did not reply with prompts this time; here are the usual ones."),
        )
    return Prompts({**base.questions, **suggested}, tailored=True)


def activity_prompts(*, title: str) -> Prompts:
    return Prompts(
        {
            "What?": _("What did you do or learn in “%(title)s”? What stood out for you?")
            % {"title": title},
            "So what?": _(
                "Why does it matter for your practice, the people you work with or your "
                "organisation?"
            ),
            "Now what?": _(
                "What will you do differently as a result? Name one step you will take, and when."
            ),
        }
    )
