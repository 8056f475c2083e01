"""Erasing a member deletes their posts, or leaves "Post removed" where others' replies depend on
them, so the thread stays readable; their profile and mentions go; moderation records stay
without the link to them."""

from __future__ import annotations

from learnward.community import services
from learnward.community.models import Member, Mention, ModerationRecord, Post, Thread
from learnward.privacy.registry.erasure import erasure_plan
from learnward.privacy.rights.erasure import subject_erase


def test_erasure_leaves_the_thread_readable_with_post_removed(
    client, ana, tom, moderator, site, settings
):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    asked = services.thread_start(user=ana, space=site, title="Ana asks", body="Ana's question")
    services.reply_create(user=tom, thread=asked, body="Tom answers @ana")
    lone = services.thread_start(user=ana, space=site, title="Ana alone", body="nobody replied")
    toms = services.thread_start(user=tom, space=site, title="Tom asks", body="Tom's question")
    ana_reply = services.reply_create(user=ana, thread=toms, body="Ana's reply")
    services.post_hide(moderator=moderator, post=ana_reply, reason="Too personal")
    services.reply_create(user=tom, thread=toms, body="@ana thanks")

    plan = erasure_plan(user=ana)
    assert "Post removed" in next(s.reason for s in plan.steps if s.model == "community.Post")
    subject_erase(user=ana, actor=None, reason="test")

    assert not Member.objects.filter(handle="ana").exists()
    assert not Mention.objects.exists()
    assert not Thread.objects.filter(pk=lone.pk).exists()
    assert not Post.objects.filter(pk=ana_reply.pk).exists()
    opening = Post.objects.get(thread=asked, is_opening=True)
    assert opening.removed and opening.author is None
    assert (opening.title, opening.body) == ("Post removed", "Post removed")
    record = ModerationRecord.objects.get(kind="hide")
    assert record.member_user is None and record.reason == "Too personal"
    assert record.moderator == moderator

    client.force_login(tom)
    page = client.get(f"/community/threads/{asked.pk}/").content.decode()
    assert page.count("Post removed") >= 2 and "Tom answers @ana" in page
    assert "Ana&#x27;s question" not in page and "Ana's question" not in page
    assert "Ana asks" not in client.get(f"/community/spaces/{site.pk}/").content.decode()
    # Others' words are theirs: the mention stays as typed (the notice says so).
    assert "@ana thanks" in client.get(f"/community/threads/{toms.pk}/").content.decode()
    # The search no longer finds the erased words.
    from learnward.community.selectors import search_space

    assert search_space(user=tom, space=site, query="question") == [
        Post.objects.get(thread=toms, is_opening=True)
    ]
