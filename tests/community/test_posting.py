"""Posting: sanitised Markdown, course spaces only for their learners and tutors, own posts only,
suspension, mention spam, rate limits, search."""

from __future__ import annotations

import pytest
from django.test import override_settings

from learnward.community import selectors, services
from learnward.community.models import Mention, Post, Thread
from tests.catalog.factories import make_course


def test_script_in_a_post_is_sanitised_away(client, ana, site):
    thread = services.thread_start(
        user=ana,
        space=site,
        title="Tips",
        body='Hello <script>alert("x")</script> <a href="javascript:alert(1)">link</a> '
        '<img src=x onerror="alert(2)"> **bold**',
    )
    client.force_login(ana)
    html = client.get(f"/community/threads/{thread.pk}/").content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script>alert" not in html and "javascript:" not in html and "onerror" not in html


def test_a_course_space_is_a_404_to_someone_not_enrolled(client, make_user, course_space):
    outsider = make_user()
    services.member_join(user=outsider)
    client.force_login(outsider)
    assert client.get(f"/community/spaces/{course_space.pk}/").status_code == 404
    response = client.post(
        f"/community/spaces/{course_space.pk}/", {"title": "Hi", "body": "Let me in"}
    )
    assert response.status_code == 404
    assert not Thread.objects.exists()


def test_posting_in_a_course_space_needs_an_enrolment(client, ana, course_space):
    client.force_login(ana)
    response = client.post(
        f"/community/spaces/{course_space.pk}/",
        {"title": "Lifting question", "body": "How do I lift safely?"},
    )
    assert response.status_code == 302
    assert Post.objects.get().title == "Lifting question"


def test_editing_or_deleting_someone_elses_post_is_a_404(client, ana, tom, site):
    thread = services.thread_start(user=ana, space=site, title="Mine", body="Ana's words")
    post = thread.posts.get()
    client.force_login(tom)
    assert client.get(f"/community/posts/{post.pk}/edit/").status_code == 404
    assert (
        client.post(
            f"/community/posts/{post.pk}/edit/", {"title": "x", "body": "Tom's"}
        ).status_code
        == 404
    )
    assert client.post(f"/community/posts/{post.pk}/delete/").status_code == 404
    post.refresh_from_db()
    assert post.body == "Ana's words"


def test_editing_and_deleting_your_own_post(client, ana, tom, site):
    thread = services.thread_start(user=ana, space=site, title="Mine", body="first")
    reply = services.reply_create(user=tom, thread=thread, body="a reply")
    client.force_login(tom)
    response = client.post(f"/community/posts/{reply.pk}/edit/", {"body": "better reply"})
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.body == "better reply" and reply.edited_at is not None
    client.post(f"/community/posts/{reply.pk}/delete/")
    assert not Post.objects.filter(pk=reply.pk).exists()
    # Ana's opening post, with a reply of Tom's depending on it, becomes "Post removed".
    services.reply_create(user=tom, thread=thread, body="another")
    opening = thread.posts.get(is_opening=True)
    client.force_login(ana)
    client.post(f"/community/posts/{opening.pk}/delete/")
    opening.refresh_from_db()
    assert opening.removed and opening.body == "Post removed" and opening.author is None
    assert b"another" in client.get(f"/community/threads/{thread.pk}/").content


def test_a_suspended_member_cannot_post_and_sees_why(client, ana, moderator, site):
    member = selectors.current_member(user=ana)
    services.member_suspend(moderator=moderator, member=member, space=None, reason="Spamming links")
    client.force_login(ana)
    response = client.post(f"/community/spaces/{site.pk}/", {"title": "Buy", "body": "now"})
    assert response.status_code == 400
    assert b"You are suspended from posting here. Reason: Spamming links" in response.content
    assert not Thread.objects.exists()
    home = client.get("/community/").content.decode()
    assert "You are suspended from posting" in home and "Spamming links" in home


def test_a_member_who_restricts_processing_cannot_post_and_sees_why(client, ana, site):
    from learnward.privacy.rights.services import restriction_start

    restriction_start(user=ana, actor=ana, reason="I contest the accuracy of my data")
    client.force_login(ana)
    response = client.post(f"/community/spaces/{site.pk}/", {"title": "Hi", "body": "there"})
    assert response.status_code == 400
    assert b"You have restricted the processing of your data." in response.content
    assert not Thread.objects.exists()


@override_settings(COMMUNITY_MENTION_LIMIT=2)
def test_mentions_beyond_the_limit_are_refused(make_user, ana, tom, site):
    third = make_user(display_name="Kim Lee")
    services.member_join(user=third)
    thread = services.thread_start(user=ana, space=site, title="Hi", body="@tom and @kim")
    assert set(Mention.objects.values_list("member__handle", flat=True)) == {"tom", "kim"}
    fourth = make_user(display_name="Lou Park")
    services.member_join(user=fourth)
    with pytest.raises(services.CommunityError, match="at most 2 members; this one mentions 3"):
        services.reply_create(user=ana, thread=thread, body="@tom @kim @lou")
    assert thread.posts.count() == 1


def test_mentions_link_current_members_only_and_skip_email_addresses(client, ana, tom, site):
    thread = services.thread_start(
        user=ana, space=site, title="Hi", body="Ask @tom, or write to tom@example.test, @nobody"
    )
    assert list(Mention.objects.values_list("member__handle", flat=True)) == ["tom"]
    client.force_login(ana)
    html = client.get(f"/community/threads/{thread.pk}/").content.decode()
    assert 'href="/community/members/tom/"' in html
    assert "@nobody" in html


@override_settings(COMMUNITY_POSTS_PER_WINDOW=2)
def test_posting_is_rate_limited(ana, site):
    thread = services.thread_start(user=ana, space=site, title="One", body="1")
    services.reply_create(user=ana, thread=thread, body="2")
    with pytest.raises(services.CommunityError, match="Please wait"):
        services.reply_create(user=ana, thread=thread, body="3")
    assert thread.posts.count() == 2


def test_a_locked_thread_takes_no_replies(ana, tom, moderator, site):
    thread = services.thread_start(user=ana, space=site, title="One", body="1")
    services.thread_lock(moderator=moderator, thread=thread, reason="Resolved")
    with pytest.raises(services.CommunityError, match="locked"):
        services.reply_create(user=tom, thread=thread, body="more")


def test_search_finds_posts_in_the_space_only_and_never_hidden_ones(client, ana, tom, site):
    course = make_course(title="Other")
    other_space = services.course_space_ensure(course=course)
    from tests.community.conftest import enrol

    enrol(ana, course)
    services.thread_start(user=ana, space=site, title="Hoist slings", body="Which sling size?")
    services.thread_start(user=ana, space=other_space, title="Slings too", body="sling elsewhere")
    hidden = services.thread_start(user=tom, space=site, title="Sling spam", body="sling offer")
    found = selectors.search_space(user=ana, space=site, query="what about slings?")
    assert [p.thread_title for p in found] == ["Hoist slings", "Sling spam"] or [
        p.thread_title for p in found
    ] == ["Sling spam", "Hoist slings"]
    from learnward.community.models import Post

    moderator_post = Post.objects.get(thread=hidden)
    Post.objects.filter(pk=moderator_post.pk).update(hidden_at=moderator_post.created_at)
    found = selectors.search_space(user=ana, space=site, query="slings")
    assert [p.thread_title for p in found] == ["Hoist slings"]
    client.force_login(ana)
    page = client.get(f"/community/spaces/{site.pk}/?q=sling")
    assert b"Hoist slings" in page.content
    assert selectors.search_space(user=ana, space=site, query="the of") == []


def test_a_mention_of_someone_who_cannot_read_the_course_space_tells_them_nothing(
    make_user, ana, course_space
):
    outsider = make_user(display_name="Olu Outside")
    services.member_join(user=outsider)
    services.thread_start(user=ana, space=course_space, title="Q", body="@olu see this")
    assert not Mention.objects.exists()


def test_reactions_toggle_and_count_but_not_on_your_own_post(client, ana, tom, site):
    from learnward.community.models import Reaction

    thread = services.thread_start(user=ana, space=site, title="Tip", body="Bend your knees")
    post = thread.posts.get()
    client.force_login(tom)
    client.post(f"/community/posts/{post.pk}/react/", {"kind": "thanks"})
    client.post(f"/community/posts/{post.pk}/react/", {"kind": "helpful"})
    assert Reaction.objects.count() == 2
    page = client.get(f"/community/threads/{thread.pk}/").content.decode()
    assert "Thanks (1)" in page and 'aria-pressed="true"' in page
    client.post(f"/community/posts/{post.pk}/react/", {"kind": "thanks"})  # taken back
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["helpful"]
    response = client.post(f"/community/posts/{post.pk}/react/", {"kind": "love"})
    assert response.status_code == 302 and Reaction.objects.count() == 1
    with pytest.raises(services.CommunityError):
        services.reaction_toggle(user=ana, post=post, kind="thanks")
