"""Replies, mentions and moderation outcomes reach the person through the notification centre."""

from __future__ import annotations

import pytest
from django.http import Http404

from learnward.community import selectors, services
from learnward.notifications.models import Notification


def test_reply_mention_and_moderation_notify_the_right_people(
    ana, tom, moderator, site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.thread_start(user=ana, space=site, title="Hoists", body="Any tips?")
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.reply_create(user=tom, thread=thread, body="Ask @ana's tutor, @ana")
    kinds = sorted(Notification.objects.filter(user=ana).values_list("kind", flat=True))
    assert kinds == ["community_mention", "community_reply"]
    mention = Notification.objects.get(user=ana, kind="community_mention")
    assert mention.title == "You were mentioned in a community post"
    reply_note = Notification.objects.get(user=ana, kind="community_reply")
    assert reply_note.title == "New reply to your thread “Hoists”"
    assert mention.url == f"/community/threads/{thread.pk}/#post-{reply.pk}"
    assert not Notification.objects.filter(user=tom).exists()  # nobody is told of their own post

    with django_capture_on_commit_callbacks(execute=True):
        services.post_hide(moderator=moderator, post=reply, reason="Off topic")
    told = Notification.objects.get(user=tom, kind="community_moderation")
    assert told.title == "A moderator hid your post in Community"
    assert told.body == "Reason: Off topic"


def test_a_member_who_left_is_not_told_of_replies(
    ana, tom, site, django_capture_on_commit_callbacks
):
    thread = services.thread_start(user=ana, space=site, title="Hoists", body="Any tips?")
    services.member_leave(user=ana)
    assert selectors.current_member(user=ana) is None
    other = services.thread_start(user=tom, space=site, title="Mine", body="text")
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(user=tom, thread=other, body="@ana here")
    assert not Notification.objects.filter(user=ana).exists()
    with pytest.raises(Http404):  # her thread is hidden while she is away
        services.reply_create(user=tom, thread=thread, body="hello")
