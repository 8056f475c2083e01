"""The community in Dutch and French: pages at /nl/ and /fr/, and notifications written in the
recipient's saved language (title, reason and /nl/ link), whoever caused them."""

from __future__ import annotations

from learnward.community import services
from learnward.notifications.models import Notification


def test_moderation_notice_is_in_the_members_saved_language(
    ana, tom, moderator, site, django_capture_on_commit_callbacks
):
    tom.language = "nl"
    tom.save(update_fields=["language"])
    thread = services.thread_start(user=ana, space=site, title="Hoists", body="Any tips?")
    reply = services.reply_create(user=tom, thread=thread, body="Ask your tutor.")
    # The moderator works in English; Tom is told in Dutch.
    with django_capture_on_commit_callbacks(execute=True):
        services.post_hide(moderator=moderator, post=reply, reason="Off topic")
    told = Notification.objects.get(user=tom, kind="community_moderation")
    assert told.title == "Een moderator heeft uw bericht in Community verborgen"
    assert told.body == "Reden: Off topic"
    assert told.url == f"/nl/community/threads/{thread.pk}/#post-{reply.pk}"


def test_reply_and_mention_are_in_french_for_a_french_member(
    ana, tom, site, django_capture_on_commit_callbacks
):
    ana.language = "fr"
    ana.save(update_fields=["language"])
    thread = services.thread_start(user=ana, space=site, title="Hoists", body="Any tips?")
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(user=tom, thread=thread, body="Ask @ana")
    reply = Notification.objects.get(user=ana, kind="community_reply")
    assert reply.title == "Nouvelle réponse à votre discussion « Hoists »"
    assert reply.url.startswith(f"/fr/community/threads/{thread.pk}/")
    mention = Notification.objects.get(user=ana, kind="community_mention")
    assert mention.title == "Vous avez été mentionné dans un message de la communauté"


def test_the_community_pages_in_dutch_and_french(client, ana, site):
    client.force_login(ana)
    page = client.get("/nl/community/").content.decode()
    assert "Lid worden van de community" not in page  # she is a member
    assert "De community verlaten" in page and "Leave the community" not in page
    assert 'lang="nl"' in page
    space = client.get(f"/fr/community/spaces/{site.pk}/").content.decode()
    assert "Lancer une discussion" in space and "Start a thread" not in space
    assert "Publier la discussion" in space


def test_joining_records_the_words_in_the_language_read(client, make_user, site):
    from learnward.privacy.consent.models import ConsentRecord

    user = make_user(email="nina@example.test")
    client.force_login(user)
    join = client.get("/nl/community/").content.decode()
    assert "Lid worden van de community: andere leden zien uw weergavenaam" in join
    client.post("/nl/community/join/")
    record = ConsentRecord.objects.filter(purpose="community").latest("pk")
    assert record.text.startswith("Lid worden van de community: andere leden zien")
