"""Where the apps above learning plug into it, so that learning imports none of them.

Each owner registers its own entries from its ``AppConfig.ready()``:

- completion requirements: what a cycle needs, besides every lesson, before it completes
  (assessments: the course's assessment passed in that cycle), and where the learner goes to
  meet it;
- completion followers: what follows a completion (certificates: issue the certificate);
- enrolment gates: what stands between a learner and enrolling (commerce: a paid course is
  bought first), and where the learner goes instead;
- page sections: what the course page and the tutor pages show besides learning's own data
  (assessments: the assessment and its attempts; certificates: renewal offers);
- primary actions: the course page's main button when another app knows better than "Continue"
  (certificates: "View certificate" once the course is completed and the certificate issued);
- lesson bodies: what a lesson page shows in place of the lesson's Markdown body (packages: the
  SCORM or cmi5 player of a package lesson), and whether the learner marks it complete by hand;
- the lesson renderer: how a lesson's Markdown body becomes HTML (media: its ``media:<id>``
  references become images, players, downloads and consented embeds); one at most.

A section is a template and its context. Learning's templates include the template with
``section`` set to the context, on top of the page's own context (``course``, ``enrolled``,
``next_lesson``...). The course page includes each section's template once in each of its
places, with ``place`` set to the place's name (the template shows what belongs there):

- ``facts``: inside the course's facts list (``<dt>``/``<dd>`` pairs);
- ``notes``: at the top of the learner's own section (enrol, or progress);
- ``actions``: next to the button that leads to the next lesson (enrolled learners only);
- ``outline``: at the end of the course outline.

Registering again under the same name replaces the entry (``ready()`` may run more than once);
entries run in the order they were first registered, which is ``INSTALLED_APPS`` order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Section:
    """A part of a page that another app owns: ``template``, included with ``section`` set to
    ``context``."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LessonBody(Section):
    """What a lesson page shows in place of the lesson's Markdown body: ``template``, included
    with ``section`` set to ``context`` (on top of the page's own context: ``course``,
    ``lesson``, ``enrolled``...). With ``learner_marks_complete`` False the page has no "Mark as
    complete" button: the body's owner marks the lesson complete itself (a package, when the
    learner finishes it)."""

    learner_marks_complete: bool = True


@dataclass(frozen=True)
class NextStep:
    """Where a learner goes to meet a completion requirement: a link and its words."""

    url: str
    label: str


@dataclass(frozen=True)
class CompletionRequirement:
    """``is_met(*, user, course, cycle)``: whether ``user`` met it on ``course`` in ``cycle``
    (the current cycle when ``cycle`` is None); a course it does not apply to is met.
    ``next_step(*, course)``: where learners of ``course`` meet it, or None when it does not
    apply to the course."""

    is_met: Callable[..., bool]
    next_step: Callable[..., NextStep | None]


@dataclass(frozen=True)
class PrimaryAction:
    """The course page's main button: a link (``url``) with the words ``label``."""

    url: str
    label: str


@dataclass(frozen=True)
class EnrolmentGate:
    """Why ``user`` cannot enrol on a course directly (``message``, fit to show them) and where
    they go instead (``url`` with the words ``label``, e.g. the checkout)."""

    message: str
    url: str
    label: str


@dataclass(frozen=True)
class LearnerColumns:
    """Columns an app adds to the tutor's table of a course's learners.

    ``template`` is included with ``place`` "head" (its header cells) and with ``place`` "row"
    (one learner's cells, ``section`` set to that learner's values in ``by_user``, or to
    ``default`` for a learner it has none for). A learner's value ``status``, when not empty, is
    shown as their status while they have not completed the course ("Passed").
    """

    template: str
    by_user: Mapping[int, Mapping[str, Any]]
    default: Mapping[str, Any] = field(default_factory=dict)

    def cells_for(self, user_id: int) -> Section:
        return Section(self.template, self.by_user.get(user_id, self.default))


# (*, user, course, enrolment) -> Section | None; ``enrolment`` is the viewer's own (active or
# left) or None.
CoursePageSection = Callable[..., Section | None]
# (*, actor, course, user_ids) -> LearnerColumns | None; ``actor`` tutors ``course``.
TutorLearnerColumns = Callable[..., LearnerColumns | None]
# (*, actor, course, enrolment) -> Section | None; one learner's page, for a tutor of ``course``.
TutorLearnerSection = Callable[..., Section | None]
# (*, request, course, lesson, enrolled) -> LessonBody | None; ``enrolled`` says whether the
# viewer studies the course (False: a staff preview, which must record nothing).
LessonBodyBuild = Callable[..., LessonBody | None]
# (*, user, course, enrolment) -> PrimaryAction | None; ``enrolment`` is the viewer's own, with
# its current completion, and completed (only asked once the current cycle is completed).
PrimaryActionBuild = Callable[..., PrimaryAction | None]
# (*, user, course) -> EnrolmentGate | None; None lets the learner enrol.
EnrolmentGateCheck = Callable[..., EnrolmentGate | None]
# (*, completion) -> object; the return value is ignored.
CompletionFollower = Callable[..., object]

_REQUIREMENTS: dict[str, CompletionRequirement] = {}
_FOLLOWERS: dict[str, CompletionFollower] = {}
_COURSE_PAGE_SECTIONS: dict[str, CoursePageSection] = {}
_ENROLMENT_GATES: dict[str, EnrolmentGateCheck] = {}
_TUTOR_LEARNER_COLUMNS: dict[str, TutorLearnerColumns] = {}
_TUTOR_LEARNER_SECTIONS: dict[str, TutorLearnerSection] = {}
_LESSON_BODIES: dict[str, LessonBodyBuild] = {}
# (*, request, course, lesson) -> safe HTML of the lesson's Markdown body.
LessonRenderer = Callable[..., str]
_LESSON_RENDERER: dict[str, LessonRenderer] = {}
_PRIMARY_ACTIONS: dict[str, PrimaryActionBuild] = {}


# --- Registering --------------------------------------------------------------------------------


def register_completion_requirement(
    name: str, *, is_met: Callable[..., bool], next_step: Callable[..., NextStep | None]
) -> None:
    _REQUIREMENTS[name] = CompletionRequirement(is_met=is_met, next_step=next_step)


def register_completion_follower(name: str, follower: CompletionFollower) -> None:
    """``follower(*, completion)`` runs inside the transaction that records ``completion``,
    after its audit entry: an exception it raises rolls the completion back and reaches the
    caller. It may be called again for the same completion and must then change nothing."""
    _FOLLOWERS[name] = follower


def register_enrolment_gate(name: str, check: EnrolmentGateCheck) -> None:
    """``check(*, user, course)`` returns an :class:`EnrolmentGate` while ``user`` may not enrol
    on ``course`` yet; it is asked again inside ``enrolment_create``, so an enrolment made after
    the gate opened (a payment confirmed) passes."""
    _ENROLMENT_GATES[name] = check


def register_course_page_section(name: str, build: CoursePageSection) -> None:
    _COURSE_PAGE_SECTIONS[name] = build


def register_tutor_learner_columns(name: str, build: TutorLearnerColumns) -> None:
    _TUTOR_LEARNER_COLUMNS[name] = build


def register_tutor_learner_section(name: str, build: TutorLearnerSection) -> None:
    _TUTOR_LEARNER_SECTIONS[name] = build


def register_primary_action(name: str, build: PrimaryActionBuild) -> None:
    """``build(*, user, course, enrolment)`` returns the completed course page's main button
    (certificates: "View certificate"), or None; the first registered answer is shown."""
    _PRIMARY_ACTIONS[name] = build


def register_lesson_body(name: str, build: LessonBodyBuild) -> None:
    """``build(*, request, course, lesson, enrolled)`` returns a :class:`LessonBody` for the
    lessons it owns (None for the others); the first registered body that answers is shown."""
    _LESSON_BODIES[name] = build


def register_lesson_renderer(name: str, render: LessonRenderer) -> None:
    """``render(*, request, course, lesson)`` returns the safe HTML of a Markdown lesson's body
    in place of plain sanitised Markdown; the last one registered is used."""
    _LESSON_RENDERER.clear()
    _LESSON_RENDERER[name] = render


# --- Asking (learning's side) -------------------------------------------------------------------


def completion_requirements_met(*, user, course, cycle: int) -> bool:
    """Whether every registered requirement is met by ``user`` on ``course`` in ``cycle``."""
    return all(
        requirement.is_met(user=user, course=course, cycle=cycle)
        for requirement in _REQUIREMENTS.values()
    )


def next_steps(*, course) -> list[NextStep]:
    """Where the course's requirements send its learners once the lessons are done."""
    steps = (requirement.next_step(course=course) for requirement in _REQUIREMENTS.values())
    return [step for step in steps if step is not None]


def next_step_unmet(*, user, course) -> NextStep | None:
    """Where ``user`` goes to meet the first requirement of ``course`` they have not met in
    their current cycle; None when nothing is left to meet."""
    for requirement in _REQUIREMENTS.values():
        step = requirement.next_step(course=course)
        if step is not None and not requirement.is_met(user=user, course=course, cycle=None):
            return step
    return None


def enrolment_gate(*, user, course) -> EnrolmentGate | None:
    """The first gate that keeps ``user`` from enrolling on ``course``, or None."""
    for check in _ENROLMENT_GATES.values():
        gate = check(user=user, course=course)
        if gate is not None:
            return gate
    return None


def completion_followers_run(*, completion) -> None:
    for follower in _FOLLOWERS.values():
        follower(completion=completion)


def course_page_sections(*, user, course, enrolment) -> list[Section]:
    sections = (
        build(user=user, course=course, enrolment=enrolment)
        for build in _COURSE_PAGE_SECTIONS.values()
    )
    return [section for section in sections if section is not None]


def tutor_learner_columns(*, actor, course, user_ids: list[int]) -> list[LearnerColumns]:
    columns = (
        build(actor=actor, course=course, user_ids=user_ids)
        for build in _TUTOR_LEARNER_COLUMNS.values()
    )
    return [column for column in columns if column is not None]


def tutor_learner_sections(*, actor, course, enrolment) -> list[Section]:
    sections = (
        build(actor=actor, course=course, enrolment=enrolment)
        for build in _TUTOR_LEARNER_SECTIONS.values()
    )
    return [section for section in sections if section is not None]


def lesson_body(*, request, course, lesson, enrolled: bool) -> LessonBody | None:
    """The body another app shows for ``lesson`` instead of its Markdown, or None."""
    for build in _LESSON_BODIES.values():
        body = build(request=request, course=course, lesson=lesson, enrolled=enrolled)
        if body is not None:
            return body
    return None


def lesson_html(*, request, course, lesson) -> str:
    """The HTML of ``lesson``'s Markdown body: the registered renderer's, or sanitised Markdown."""
    for render in _LESSON_RENDERER.values():
        return render(request=request, course=course, lesson=lesson)
    from learnward.core.markdown import render_markdown

    return render_markdown(lesson.body_markdown)


def completed_primary_action(*, user, course, enrolment) -> PrimaryAction | None:
    """The main button another app offers on a course ``user`` completed, or None."""
    for build in _PRIMARY_ACTIONS.values():
        action = build(user=user, course=course, enrolment=enrolment)
        if action is not None:
            return action
    return None
