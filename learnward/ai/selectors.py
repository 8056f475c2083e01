"""Reading for the AI features: where a learner stands, the processor, passages, the call log."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learnward.core.access import staff_powers
from learnward.core.i18n import use_language

from . import search
from .models import AiCall
from .provider import provider_configured

PURPOSE = "ai_assistance"
PASSAGE_LIMIT = 5


# --- The processor, from the processor register ---------------------------------------------------


def ai_processor():
    """The active processor registered for AI-assisted features, or None.

    AI features never run without one: the opt-in text must say to whom text is sent, and the
    notice and records of processing list it from the same register.
    """
    from learnward.privacy.records.models import Processor

    candidates = [
        p
        for p in Processor.objects.filter(active=True, role=Processor.Role.PROCESSOR)
        if PURPOSE in (p.purposes or [])
    ]
    return candidates[0] if candidates else None


def ai_in_use() -> bool:
    """Whether AI-assisted processing can happen on this site at all (provider + processor)."""
    return provider_configured() and ai_processor() is not None


def ai_in_use_purposes() -> list[str]:
    """For the notice and records of processing: ``["ai_assistance"]`` only while AI is on."""
    return [PURPOSE] if ai_in_use() else []


# --- The opt-in text, exactly as shown and recorded -----------------------------------------------


def opt_in_text(processor) -> str:
    """What is sent, to whom and how long it is kept: shown on the screen and stored verbatim,
    in the active language (its version is taken from the English text: see :func:`ai_status`)."""
    sentences = [
        _(
            "If you turn on AI-assisted features, then when you ask a question about a course we "
            "send your question and the passages of the course that best match it, and when you "
            "ask for tailored reflection prompts we send the course's title, module and lesson "
            "headings, to %(processor)s (%(service)s), an AI service provider acting as our "
            "processor for AI-assisted learning support."
        )
        % {"processor": processor.name, "service": processor.service}
    ]
    if processor.transfers_outside_uk:
        sentences.append(
            _(
                "%(processor)s processes it in %(location)s; the transfer is covered by %(mechanism)s."
            )
            % {
                "processor": processor.name,
                "location": processor.location,
                "mechanism": processor.get_transfer_mechanism_display(),
            }
        )
    else:
        sentences.append(
            _("%(processor)s processes it in %(location)s.")
            % {"processor": processor.name, "location": processor.location}
        )
    subs = [
        f"{sub.name} ({sub.service}, {sub.location})"
        for sub in processor.sub_processors.filter(active=True)
        if PURPOSE in (sub.purposes or [])
    ]
    if subs:
        sentences.append(
            _("It uses %(subprocessors)s to do this.") % {"subprocessors": "; ".join(subs)}
        )
    days = settings.AI_LOG_DAYS
    sentences.append(
        _(
            "Before anything is sent, we replace your name, email address, date of birth and the "
            "other identifying details we hold about you, and any email addresses, phone numbers, "
            "postcodes, National Insurance numbers and card numbers in the text, with "
            "placeholders. The request does not include your account or any identifier of you. "
            "Even so, do not type anything you do not want processed this way."
        )
    )
    sentences.append(
        ngettext(
            "We keep a log of each request (the text sent, the reply and the tokens used) for "
            "%(days)s day; you can see it on your My data page. You can turn these features off "
            "at any time, and they stop at once.",
            "We keep a log of each request (the text sent, the reply and the tokens used) for "
            "%(days)s days; you can see it on your My data page. You can turn these features off "
            "at any time, and they stop at once.",
            days,
        )
        % {"days": days}
    )
    return " ".join(sentences)


def opt_in_version(text: str) -> str:
    from learnward.privacy.consent.services import text_version

    return text_version(text)


# --- Where a learner stands -----------------------------------------------------------------------


@dataclass(frozen=True)
class AiStatus:
    configured: bool  # a provider and its processor are set up on this site
    processor: object | None
    opted_in: bool  # the learner agreed to the wording in force now
    allowed: bool  # the processing gate lets AI use this learner's data now
    reason: str  # why not, in words the learner can act on
    text: str = ""
    version: str = ""

    @property
    def enabled(self) -> bool:
        return self.configured and self.opted_in and self.allowed


def ai_status(*, user) -> AiStatus:
    from learnward.privacy.consent.gate import processing_decision
    from learnward.privacy.consent.services import consent_states

    processor = ai_processor() if provider_configured() else None
    if processor is None:
        return AiStatus(False, None, False, False, _("AI features are not available on this site."))
    text = opt_in_text(processor)
    # One version for every language: the English wording's. Agreeing on a Dutch page counts on
    # a French one; a change of wording (in English) asks again.
    with use_language(settings.LANGUAGE_CODE):
        version = opt_in_version(opt_in_text(processor))
    if user is None or not user.is_authenticated:
        return AiStatus(
            True, processor, False, False, _("Log in to use AI features."), text, version
        )
    # Consent counts only for the wording in force: a new processor or log period asks again.
    states = consent_states(user=user, purpose=PURPOSE)
    latest = states.get(("", ""))
    opted_in = bool(latest and latest.given and latest.record.version == version)
    decision = processing_decision(user=user, purpose=PURPOSE)
    reason = ""
    if not opted_in:
        reason = (
            _(
                "The wording changed since you turned AI features on; please read it and turn "
                "them on again."
            )
            if latest and latest.given
            else _("You have not turned on AI features.")
        )
    elif not decision.allowed:
        reason = decision.reason
    return AiStatus(True, processor, opted_in, decision.allowed, reason, text, version)


# --- Passages -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    number: int
    lesson_id: int
    lesson_title: str
    heading: str
    text: str
    url: str


def _lesson_url_builder(course):
    """lesson id -> URL of the lesson page; one reverse() per search, not one per passage."""
    marker = 987654321
    try:
        url = reverse("learning:lesson", kwargs={"slug": course.slug, "lesson_id": marker})
    except NoReverseMatch:
        fallback = course.get_absolute_url()
        return lambda lesson_id: fallback
    head, tail = url.split(str(marker), 1)
    return lambda lesson_id: f"{head}{lesson_id}{tail}"


def search_passages(*, course, question: str, limit: int = PASSAGE_LIMIT) -> list[Passage]:
    """The passages of ``course`` most relevant to ``question``, best first. One query."""
    terms = search.query_terms(question)
    if not terms:
        return []
    vendor = connection.vendor
    sql = search.passage_search_sql(vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [search.raw_query_param(vendor, terms), course.pk, limit])
        rows = cursor.fetchall()
    lesson_url = _lesson_url_builder(course)
    return [
        Passage(
            number=index,
            lesson_id=lesson_id,
            lesson_title=title,
            heading=heading,
            text=text,
            url=lesson_url(lesson_id),
        )
        for index, (lesson_id, title, heading, text) in enumerate(rows, start=1)
    ]


def course_for_asking(*, user, slug: str):
    """The course ``user`` may ask about: enrolled (active), or staff who may preview it."""
    from learnward.catalog.selectors import can_preview_drafts, course_get_visible
    from learnward.learning.selectors import enrolment_active

    course = course_get_visible(slug=slug, viewer=user)
    if not user.is_authenticated:
        raise Http404("No such course")
    if enrolment_active(user=user, course=course) is None and not can_preview_drafts(user):
        return course, False
    return course, True


# --- The call log ---------------------------------------------------------------------------------


def ai_calls_for(*, actor, user) -> QuerySet[AiCall]:
    """A learner's AI call log: for the learner, or privacy staff who may view it."""
    if actor is None or not actor.is_authenticated:
        raise Http404
    if actor.pk != user.pk and not staff_powers(actor, "ai.view_aicall"):
        raise Http404
    return AiCall.objects.filter(user=user).order_by("-created_at", "-id")
