"""Demo data for the community: the site-wide space with an introductions thread, and the
Safeguarding basics course space with a question the demo learner asked, a tutor's reply and the
"answered" mark.

The two demo learners and the demo tutor have joined (each joining recorded as consent with its
words, as the "Join the community" button records it); the second learner is mentioned. Written
directly, without audit entries, rate limits or notifications: it is what those people would
have done. Idempotent: nothing is added once the site space has threads.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from learnward.accounts.models import User
from learnward.catalog.models import Course
from learnward.privacy.consent.models import ConsentMethod
from learnward.privacy.consent.services import consent_record, text_version

from .models import Member, Mention, ModerationRecord, Post, Space, Thread
from .privacy import PURPOSE
from .services import JOIN_TEXT, course_space_ensure, default_handle, site_space_ensure

LEARNER = "learner@learnward.test"
LEARNER2 = "learner2@learnward.test"
TUTOR = "tutor@learnward.test"
COURSE_SLUG = "safeguarding-basics"


def _join(user, at) -> Member:
    member = Member.objects.filter(user=user).first()
    if member is not None:
        return member
    consent_record(
        subject=user,
        purpose=PURPOSE,
        given=True,
        text=JOIN_TEXT,
        version=text_version(JOIN_TEXT),
        method=ConsentMethod.FORM,
    )
    first = user.display_name.split()[0] if user.display_name else "Member"
    return Member.objects.create(
        user=user, display_name=first, handle=default_handle(first), joined_at=at
    )


def _thread(space, author, title, body, at) -> tuple[Thread, Post]:
    thread = Thread.objects.create(space=space, created_at=at, last_post_at=at)
    post = Post.objects.create(
        thread=thread, author=author, is_opening=True, title=title, body=body, created_at=at
    )
    return thread, post


def _reply(thread, author, body, at, mentions=()) -> Post:
    post = Post.objects.create(thread=thread, author=author, body=body, created_at=at)
    Thread.objects.filter(pk=thread.pk).update(last_post_at=at)
    for member in mentions:
        Mention.objects.create(post=post, member=member, created_at=at)
    return post


def load(result: dict) -> None:
    site = site_space_ensure()
    users = {u.email.lower(): u for u in User.objects.filter(email__in=[LEARNER, LEARNER2, TUTOR])}
    learner, learner2, tutor = (users.get(e) for e in (LEARNER, LEARNER2, TUTOR))
    course = Course.objects.filter(slug=COURSE_SLUG).first()
    if not site.threads.exists() and learner is not None and learner2 is not None:
        now = timezone.now()
        ana = _join(learner, now - timedelta(days=10))
        sam = _join(learner2, now - timedelta(days=9))
        thread, _ = _thread(
            site,
            sam,
            "Introduce yourself",
            "Hello! I work nights in a care home and I am taking **Manual handling** this "
            "month. What are you all studying?",
            now - timedelta(days=9),
        )
        _reply(
            thread,
            ana,
            f"Hi @{sam.handle}, I am on *Safeguarding basics* after finishing the GDPR course. "
            "The scenario lessons are really good.",
            now - timedelta(days=8),
            mentions=[sam],
        )
        _thread(
            site,
            ana,
            "Tips for studying on a phone",
            "I do a lesson on the bus each morning:\n\n- download the PDF notes first\n"
            "- mark each lesson complete as you go",
            now - timedelta(days=6),
        )
        if course is not None:
            space = course_space_ensure(course=course)
            question, _ = _thread(
                space,
                ana,
                "Who do I tell first about a concern?",
                "In lesson 2, if I am worried about a resident, do I tell my manager or the "
                "safeguarding lead first?",
                now - timedelta(days=5),
            )
            if tutor is not None:
                tess = _join(tutor, now - timedelta(days=20))
                _reply(
                    question,
                    tess,
                    "Your organisation's safeguarding lead, straight away; if they are not "
                    "available, your manager. If someone is in immediate danger, call 999 first.",
                    now - timedelta(days=4),
                )
                at = now - timedelta(days=4)
                Thread.objects.filter(pk=question.pk).update(answered_at=at, answered_by=tutor)
                ModerationRecord.objects.create(
                    kind=ModerationRecord.Kind.ANSWERED,
                    space=space,
                    moderator=tutor,
                    thread_id_ref=question.pk,
                    at=at,
                )
    result["community"] = {
        "spaces": list(Space.objects.order_by("kind", "pk").values_list("title", flat=True)),
        "members": Member.objects.filter(left_at=None).count(),
    }
