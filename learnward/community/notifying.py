"""What the community tells people, through the notification centre (learnward.notifications):
a reply to a thread you started, a mention of you, and a moderator's act on your post, thread or
membership. The kinds are registered from :class:`CommunityConfig.ready`; ``services`` calls
each function once the post or the moderation act has committed. Push payloads are the kinds' minimal texts: no names, no content.
The notifications themselves name nobody either (only the recipient's own thread title), so
erasing a member leaves nothing of theirs in other people's notification centres.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnward.core.i18n import use_language
from learnward.notifications.kinds import Channels, register_kind
from learnward.notifications.services import notify

from .models import ModerationRecord, Post

REPLY = "community_reply"
MENTION = "community_mention"
MODERATION = "community_moderation"


def register() -> None:
    # Push is on by default for replies and mentions: it reaches only the devices a person
    # subscribed themselves, and each kind can be turned off in the notification settings.
    # Lazy: registered once at start-up, read in each reader's language.
    register_kind(
        REPLY,
        label=gettext_lazy("Replies to your community threads"),
        description=gettext_lazy("Someone replied to a thread you started in the community."),
        default_channels=Channels(in_app=True, push=True),
        push_text=gettext_lazy("You have a new reply"),
    )
    register_kind(
        MENTION,
        label=gettext_lazy("Mentions of you in the community"),
        description=gettext_lazy("Someone mentioned you (@ and your handle) in a community post."),
        default_channels=Channels(in_app=True, push=True),
        push_text=gettext_lazy("You were mentioned in a post"),
    )
    register_kind(
        MODERATION,
        label=gettext_lazy("Community moderation"),
        description=gettext_lazy(
            "A moderator hid or restored your post, locked your thread or suspended "
            "you from posting, with their reason."
        ),
        push_text=gettext_lazy("A moderator acted on your post"),
    )


def _thread_url(post: Post) -> str:
    return f"{reverse('community:thread', args=[post.thread_id])}#post-{post.pk}"


def replied(*, post: Post) -> None:
    opening = (
        Post.objects.filter(thread_id=post.thread_id, is_opening=True)
        .select_related("author__user")
        .first()
    )
    if opening is None or opening.author is None or opening.author_id == post.author_id:
        return
    if not opening.author.current:
        return
    user = opening.author.user
    # Stored in the centre as written: in the recipient's language, with its /nl/ link.
    with use_language(user.language):
        notify(
            user=user,
            kind=REPLY,
            title=_("New reply to your thread “%(title)s”") % {"title": opening.title},
            url=_thread_url(post),
        )


def mentioned(*, post: Post, members) -> None:
    for member in members:
        with use_language(member.user.language):
            notify(
                user=member.user,
                kind=MENTION,
                title=_("You were mentioned in a community post"),
                url=_thread_url(post),
            )


_WORDS = {
    ModerationRecord.Kind.HIDE: (
        gettext_lazy("A moderator hid your post"),
        gettext_lazy("A moderator hid your post in %(space)s"),
    ),
    ModerationRecord.Kind.RESTORE: (
        gettext_lazy("A moderator restored your post"),
        gettext_lazy("A moderator restored your post in %(space)s"),
    ),
    ModerationRecord.Kind.LOCK: (
        gettext_lazy("A moderator locked your thread"),
        gettext_lazy("A moderator locked your thread in %(space)s"),
    ),
    ModerationRecord.Kind.UNLOCK: (
        gettext_lazy("A moderator unlocked your thread"),
        gettext_lazy("A moderator unlocked your thread in %(space)s"),
    ),
    ModerationRecord.Kind.SUSPEND: (
        gettext_lazy("You are suspended from posting"),
        gettext_lazy("You are suspended from posting in %(space)s"),
    ),
    ModerationRecord.Kind.UNSUSPEND: (
        gettext_lazy("Your suspension from posting is lifted"),
        gettext_lazy("Your suspension from posting in %(space)s is lifted"),
    ),
}


def moderated(*, record: ModerationRecord) -> None:
    words = _WORDS.get(record.kind)
    if words is None or record.member_user is None:
        return
    user = record.member_user
    with use_language(user.language):
        if record.thread_id_ref:
            url = reverse("community:thread", args=[record.thread_id_ref])
            if record.post_id_ref:
                url += f"#post-{record.post_id_ref}"
        else:
            url = reverse("community:home")
        everywhere, in_space = words
        if record.space is not None:
            title = str(in_space) % {"space": record.space.title}
        else:
            title = str(everywhere)
        notify(
            user=user,
            kind=MODERATION,
            title=title,
            body=_("Reason: %(reason)s") % {"reason": record.reason} if record.reason else "",
            url=url,
        )
