"""Writes for the AI features: opting in and out, and calling the provider (each call logged).

Every call to a provider goes through :func:`_call_provider`: it checks the learner's status
(provider, processor, opt-in to the wording in force, the processing gate), minimises what the
learner typed (the system prompt and the course's own text go as they are: they hold nothing of
the learner's), sends it without any identifier of the learner, and records exactly what was sent and what came
back, with the tokens used. A provider that is slow, failing or rate-limited never breaks a page:
the caller gets a note and shows what works without one.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.errors import ApplicationError

from . import provider
from .models import AiCall, AiFeature
from .redaction import redact
from .selectors import PURPOSE, AiStatus, Passage, ai_status, search_passages

MAX_QUESTION_CHARS = 1000
PLACEHOLDER_RE = re.compile(r"\[[A-Z][A-Z ]*\]")
ANSWER_MAX_TOKENS = 350
PROMPTS_MAX_TOKENS = 300


class AiError(ApplicationError, ValueError):
    """Bad input from the learner; the message is safe to show."""


class AiNotAvailable(ApplicationError):
    def __init__(self, status: AiStatus) -> None:
        super().__init__(status.reason)
        self.status = status


# --- Opting in and out ----------------------------------------------------------------------------


def ai_opt_in(*, user, version: str, method: str = "account"):
    """Record consent to the opt-in wording in force now. ``version`` is the one the learner saw;
    if the wording changed while they read it, nothing is recorded and they are asked again."""
    from learnward.privacy.consent.services import consent_record

    status = ai_status(user=user)
    if not status.configured:
        raise AiError(_("AI features are not available on this site."))
    if version != status.version:
        raise AiError(_("The wording changed while you were reading it. Please read it again."))
    return consent_record(
        subject=user,
        purpose=PURPOSE,
        given=True,
        text=status.text,
        version=status.version,
        method=method,
    )


OPT_OUT_TEXT = (
    "Turn off AI-assisted features. Nothing more is sent to the AI service provider from now on. "
    "The log of earlier requests stays on your My data page until it expires."
)  # the text recorded with the withdrawal (its version): the page shows opt_out_text()


def opt_out_text() -> str:
    """:data:`OPT_OUT_TEXT` in the active language, as the settings page shows it."""
    return _(
        "Turn off AI-assisted features. Nothing more is sent to the AI service provider from now "
        "on. The log of earlier requests stays on your My data page until it expires."
    )


def ai_opt_out(*, user, method: str = "account"):
    """Withdraw consent. Takes effect at once: every AI feature checks consent on each use."""
    from learnward.privacy.consent.services import consent_record, text_version

    return consent_record(
        subject=user,
        purpose=PURPOSE,
        given=False,
        text=OPT_OUT_TEXT,
        version=text_version(OPT_OUT_TEXT),
        method=method,
    )


# --- Calling the provider -------------------------------------------------------------------------


@dataclass
class ProviderReply:
    ok: bool
    text: str = ""
    note: str = ""
    call: AiCall | None = None


def _call_provider(
    *,
    user,
    feature: AiFeature,
    system: str,
    prompt: Callable[[str], str],
    learner_text: str = "",
    max_tokens: int,
) -> ProviderReply:
    """Send ``system`` and ``prompt(minimised learner_text)`` to the provider, and log the call.

    Only ``learner_text``, what the learner typed, is minimised (``redaction.redact``): the
    system prompt and the course content ``prompt`` wraps it in are the platform's own words and
    go unchanged, so a learner called "Learner Two" does not turn "A learner who enrols..." into
    "A [NAME] who enrols...".
    """
    status = ai_status(user=user)
    if not status.enabled:
        raise AiNotAvailable(status)
    minimised = redact(learner_text, user=user)
    prompt_text = prompt(minimised.text)
    sent = f"{system}\n\n{prompt_text}"
    started = time.monotonic()
    try:
        completion = provider.complete(system=system, prompt=prompt_text, max_tokens=max_tokens)
        outcome, failure = AiCall.Outcome.OK, None
    except provider.ProviderUnavailable as exc:
        completion, failure = None, exc
        outcome = AiCall.Outcome(exc.outcome.value)
    duration_ms = int((time.monotonic() - started) * 1000)
    # Recorded after the call, never holding a transaction open while waiting on the network.
    with transaction.atomic():
        call = AiCall.objects.create(
            user=user,
            created_at=timezone.now(),
            feature=feature,
            processor=status.processor.name,
            model=completion.model if completion else "",
            sent_text=sent,
            response_text=completion.text if completion else "",
            outcome=outcome,
            prompt_tokens=completion.prompt_tokens if completion else 0,
            completion_tokens=completion.completion_tokens if completion else 0,
            redactions=minimised.total,
            duration_ms=duration_ms,
        )
        audit_record(
            action=Action.AI_PROVIDER_CALLED,
            actor=user,
            subject=user,
            target=call,
            payload={"feature": str(feature), "outcome": str(outcome)},
        )
    if completion is None:
        return ProviderReply(ok=False, note=failure.outcome.note, call=call)
    return ProviderReply(ok=True, text=completion.text, call=call)


# --- Ask the course -------------------------------------------------------------------------------


@dataclass
class AskResult:
    question: str
    passages: list[Passage]
    answer_html: SafeString | None = None
    note: str = ""
    ai: AiStatus | None = None
    cited: list[int] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return self.answer_html is not None


ANSWER_SYSTEM = (
    "You help a learner with the online course titled {title!r}. Answer the learner's question "
    "using only the numbered passages from the course. Cite each passage you rely on by its "
    "number in square brackets, like [1] or [2]. If the passages do not answer the question, "
    "say so in one sentence. Answer in at most 120 words. Text in capitals in square brackets, "
    "such as [NAME] or [EMAIL], stands for a personal detail that was removed: never guess it. "
    "Write your answer in {language}."
)


def answer_language() -> str:
    """The name, in English, of the language the learner reads the site in ("Dutch"): the
    model is told to answer in it."""
    return get_language_info(get_language() or "en-gb")["name"]


def _answer_prompt(question: str, passages: list[Passage]) -> str:
    lines = ["Passages from the course:"]
    for passage in passages:
        where = passage.lesson_title + (f" - {passage.heading}" if passage.heading else "")
        lines.append(f"[{passage.number}] ({where}) {passage.text}")
    lines += ["", f"Question: {question}"]
    return "\n".join(lines)


def render_citations(text: str, passages: list[Passage]) -> tuple[SafeString, list[int]]:
    """Escape the provider's text and turn [n] for a shown passage into a link to it."""
    numbers = {p.number for p in passages}
    cited: list[int] = []
    parts: list[str] = []
    last = 0
    for match in re.finditer(r"\[(\d{1,2})\]", text):
        n = int(match.group(1))
        parts.append(escape(text[last : match.start()]))
        if n in numbers:
            parts.append(f'<a href="#passage-{n}" aria-label="passage {n}">[{n}]</a>')
            if n not in cited:
                cited.append(n)
        else:
            parts.append(escape(match.group(0)))
        last = match.end()
    parts.append(escape(text[last:]))
    paragraphs = "".join(parts).split("\n\n")
    html = "".join(f"<p>{p.strip()}</p>".replace("\n", "<br>") for p in paragraphs if p.strip())
    return mark_safe(html), cited  # noqa: S308 - every piece of provider text is escaped above


def course_ask(*, user, course, question: str) -> AskResult:
    """Relevant passages of ``course`` for ``question``; with AI on, also a cited answer.

    Without a provider (or without the learner's opt-in) this is the platform's own full-text
    search: nothing leaves and nothing is stored. With AI on, a short answer grounded in the
    passages is added; any provider failure leaves the passages with a note saying why.
    """
    question = " ".join((question or "").split())
    if not question:
        raise AiError(_("Type a question about the course."))
    if len(question) > MAX_QUESTION_CHARS:
        raise AiError(
            _("Keep your question under %(limit_value)s characters.")
            % {"limit_value": MAX_QUESTION_CHARS}
        )
    # Personal details are no use to a search either: search the minimised question, without
    # its placeholders, so "my email is ..." does not crowd out the words that matter.
    minimised = redact(question, user=user)
    search_text = PLACEHOLDER_RE.sub(" ", minimised.text)
    passages = search_passages(course=course, question=search_text)
    status = ai_status(user=user)
    result = AskResult(question=question, passages=passages, ai=status)
    if not status.configured:
        return result
    if not status.enabled:
        result.note = _("No AI answer: %(reason)s") % {"reason": status.reason}
        return result
    if not passages:
        result.note = _(
            "No AI answer: nothing in this course matched your question closely enough."
        )
        return result
    reply = _call_provider(
        user=user,
        feature=AiFeature.ASK_COURSE,
        system=ANSWER_SYSTEM.format(title=course.title, language=answer_language()),
        prompt=lambda learner_text: _answer_prompt(learner_text, passages),
        learner_text=question,
        max_tokens=ANSWER_MAX_TOKENS,
    )
    if not reply.ok:
        result.note = _("No AI answer this time: %(reason)s Here are the relevant passages.") % {
            "reason": reply.note
        }
        return result
    result.answer_html, result.cited = render_citations(reply.text, passages)
    if not result.cited:
        result.note = _("The AI answer does not cite the passages; check it against them.")
    return result


# --- Reflection prompts ---------------------------------------------------------------------------

PROMPTS_SYSTEM = (
    "You write reflection questions for a professional who has just completed a CPD course. "
    "Write exactly three questions, one per line, in this order and with these labels: "
    "'What?' (what they learned or noticed), 'So what?' (why it matters for their practice), "
    "'Now what?' (what they will do next). Make each question specific to the course content "
    "given. No introduction, no numbering, no other text. Write the questions in {language}, "
    "but keep the three labels in English, exactly as given."
)

STAGES = ("What?", "So what?", "Now what?")


def parse_prompts(text: str) -> dict[str, str]:
    """{"What?": question, ...} from the provider's three labelled lines; missing ones omitted."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip().lstrip("-*0123456789. ").strip()
        for stage in sorted(STAGES, key=len, reverse=True):
            label = stage.rstrip("?")
            match = re.match(
                rf"^\**{re.escape(label)}\??\**\s*[:\-\u2013\u2014]?\s*(.+)$", line, re.I
            )
            if match and stage not in found:
                question = match.group(1).strip().strip("*").strip()
                if question:
                    found[stage] = question[:300]
                break
    return found


def reflection_prompts_tailored(*, user, course_title: str, outline: list[str]) -> dict[str, str]:
    """Three reflection questions tailored to the course content, from the provider.

    Only course content is sent (title, module and lesson headings). Raises AiNotAvailable when
    AI is off for this learner; returns {} when the provider fails (the caller keeps the
    template prompts).
    """
    prompt = f"Course: {course_title}\nContents:\n" + "\n".join(f"- {h}" for h in outline[:60])
    reply = _call_provider(
        user=user,
        feature=AiFeature.REFLECTION_PROMPTS,
        system=PROMPTS_SYSTEM.format(language=answer_language()),
        prompt=lambda _nothing: prompt,  # course content only: nothing of the learner's
        max_tokens=PROMPTS_MAX_TOKENS,
    )
    if not reply.ok:
        return {}
    return parse_prompts(reply.text)
