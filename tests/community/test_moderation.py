"""Moderation: reports, hiding with a reason the author sees, course tutors moderate their own
course's space only, the answered mark, and every act audited and recorded."""

from __future__ import annotations

import pytest
from django.http import Http404

from learnward.audit.models import AuditEntry
from learnward.community import selectors, services
from learnward.community.models import ModerationRecord, Report


def test_report_hide_and_the_author_is_told_why(client, ana, tom, tutor, course_space):
    thread = services.thread_start(user=ana, space=course_space, title="Q", body="question")
    reply = services.reply_create(user=tom, thread=thread, body="rude words")
    client.force_login(ana)
    response = client.post(f"/community/posts/{reply.pk}/report/", {"reason": ""})
    assert response.status_code == 400 and not Report.objects.exists()
    client.post(f"/community/posts/{reply.pk}/report/", {"reason": "Rude"})
    report = Report.objects.get()
    assert report.status == Report.Status.OPEN

    client.force_login(tutor)
    queue = client.get("/community/moderation/")
    assert b"Rude" in queue.content
    response = client.post(f"/community/posts/{reply.pk}/hide/", {"reason": ""})
    reply.refresh_from_db()
    assert not reply.hidden
    client.post(f"/community/posts/{reply.pk}/hide/", {"reason": "Please be kind"})
    reply.refresh_from_db()
    assert reply.hidden and reply.hidden_reason == "Please be kind"
    report.refresh_from_db()
    assert report.status == Report.Status.HIDDEN
    assert AuditEntry.objects.filter(action="community.post_hidden").count() == 1
    assert ModerationRecord.objects.get(kind="hide").member_user == tom

    client.force_login(ana)
    page = client.get(f"/community/threads/{thread.pk}/").content.decode()
    assert "A moderator hid this post." in page and "rude words" not in page
    client.force_login(tom)
    page = client.get(f"/community/threads/{thread.pk}/").content.decode()
    assert "A moderator hid your post from others. Reason: Please be kind" in page
    assert "Please be kind" in client.get("/community/").content.decode()


def test_a_learner_cannot_moderate(client, ana, tom, site):
    thread = services.thread_start(user=ana, space=site, title="Q", body="question")
    post = thread.posts.get()
    client.force_login(tom)
    assert client.post(f"/community/posts/{post.pk}/hide/", {"reason": "x"}).status_code == 404
    assert client.get("/community/moderation/").status_code == 404
    assert client.post(f"/community/threads/{thread.pk}/answered/").status_code == 404


def test_a_tutor_moderates_only_their_own_courses_space(ana, tutor, site, course_space):
    site_thread = services.thread_start(user=ana, space=site, title="Q", body="site")
    with pytest.raises(Http404):
        services.post_hide(moderator=tutor, post=site_thread.posts.get(), reason="x")
    assert selectors.can_moderate(user=tutor, space=course_space)
    assert not selectors.can_moderate(user=tutor, space=site)


def test_a_tutor_marks_a_course_question_answered(client, ana, tutor, course_space, site):
    thread = services.thread_start(user=ana, space=course_space, title="Q?", body="question")
    client.force_login(tutor)
    client.post(f"/community/threads/{thread.pk}/answered/", {"answered": "1"})
    thread.refresh_from_db()
    assert thread.answered_by == tutor and thread.answered_at is not None
    client.force_login(ana)
    assert b"Answered" in client.get(f"/community/spaces/{course_space.pk}/").content
    site_thread = services.thread_start(user=ana, space=site, title="Chat", body="hi")
    with pytest.raises(services.CommunityError):
        services.thread_mark_answered(tutor=tutor, thread=site_thread)


def test_suspension_from_a_course_space_leaves_the_rest(ana, tutor, site, course_space):
    member = selectors.current_member(user=ana)
    services.member_suspend(moderator=tutor, member=member, space=course_space, reason="Off topic")
    with pytest.raises(services.CommunityError, match="Off topic"):
        services.thread_start(user=ana, space=course_space, title="x", body="y")
    services.thread_start(user=ana, space=site, title="x", body="y")
    with pytest.raises(Http404):  # a tutor cannot suspend from the whole community
        services.member_suspend(moderator=tutor, member=member, space=None, reason="x")
    suspension = selectors.suspension_for(member=member, space=course_space)
    services.suspension_lift(moderator=tutor, suspension=suspension)
    services.thread_start(user=ana, space=course_space, title="x", body="y")
    kinds = list(ModerationRecord.objects.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["suspend", "unsuspend"]


def test_a_tutor_opens_their_courses_space_and_nobody_else_can(client, tutor, ana, course):
    from learnward.community.models import Space

    client.force_login(ana)
    assert client.post("/community/spaces/open/", {"course": course.pk}).status_code == 404
    client.force_login(tutor)
    assert b"Open a course space" in client.get("/community/").content
    response = client.post("/community/spaces/open/", {"course": course.pk})
    space = Space.objects.get(course=course)
    assert response.status_code == 302 and response["Location"] == f"/community/spaces/{space.pk}/"
    assert AuditEntry.objects.filter(action="community.space_opened").count() == 1
    assert client.post("/community/spaces/open/", {"course": course.pk}).status_code == 404


def test_a_moderator_suspends_from_the_whole_community_from_a_thread(
    client, ana, tom, moderator, site
):
    thread = services.thread_start(user=tom, space=site, title="Q", body="spam")
    member = selectors.current_member(user=tom)
    client.force_login(moderator)
    page = client.get(f"/community/threads/{thread.pk}/").content.decode()
    assert "The whole community" in page
    response = client.post(
        f"/community/members/{member.pk}/suspend/",
        {"space": "", "reason": "", "next_thread": str(thread.pk)},
    )
    assert response.status_code == 302 and not member.suspensions.exists()
    client.post(
        f"/community/members/{member.pk}/suspend/",
        {"space": "", "reason": "Advertising", "next_thread": str(thread.pk)},
    )
    suspension = member.suspensions.get()
    assert suspension.space is None and suspension.reason == "Advertising"
