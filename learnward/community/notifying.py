"""What the community tells people, through the notification centre (learnward.notifications):
a reply to a thread you started, a mention of you, and a moderator's act on your post, thread or
membership. The kinds are registered from :class:`CommunityConfig.ready`; ``services`` calls
each function once the post or the moderation act has committed. Push payloads are the kinds' minimal texts: no names, no content.
The notifications themselves name nobody either (only the recipient's own thread title), so
erasing a member leaves nothing of theirs in other people's notification centres.
"""

from __future__ import annotations

from django.urls import reverse

from learnward.notifications.kinds import Channels, register_kind
from learnward.notifications.services import notify

from .models import ModerationRecord, Post

REPLY = "community_reply"
MENTION = "community_mention"
MODERATION = "community_moderation"


def register() -> None:
    # Push is on by default for replies and mentions: it reaches only the devices a person
    # subscribed themselves, and each kind can be turned off in the notification settings.
    register_kind(
        REPLY,
        label="Replies to your community threads",
        description="Someone replied to a thread you started in the community.",
        default_channels=Channels(in_app=True, push=True),
        push_text="You have a new reply",
    )
    register_kind(
        MENTION,
        label="Mentions of you in the community",
        description="Someone mentioned you (@ and your handle) in a community post.",
        default_channels=Channels(in_app=True, push=True),
        push_text="You were mentioned in a post",
    )
    register_kind(
        MODERATION,
        label="Community moderation",
        description="A moderator hid or restored your post, locked your thread or suspended "
        "you from posting, with their reason.",
        push_text="A moderator acted on your post",
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
    notify(
        user=opening.author.user,
        kind=REPLY,
        title=f"New reply to your thread “{opening.title}”",
        url=_thread_url(post),
    )


def mentioned(*, post: Post, members) -> None:
    for member in members:
        notify(
            user=member.user,
            kind=MENTION,
            title="You were mentioned in a community post",
            url=_thread_url(post),
        )


_WORDS = {
    ModerationRecord.Kind.HIDE: "A moderator hid your post",
    ModerationRecord.Kind.RESTORE: "A moderator restored your post",
    ModerationRecord.Kind.LOCK: "A moderator locked your thread",
    ModerationRecord.Kind.UNLOCK: "A moderator unlocked your thread",
    ModerationRecord.Kind.SUSPEND: "You are suspended from posting",
    ModerationRecord.Kind.UNSUSPEND: "Your suspension from posting is lifted",
}


def moderated(*, record: ModerationRecord) -> None:
    words = _WORDS.get(record.kind)
    if words is None or record.member_user is None:
        return
    if record.thread_id_ref:
        url = reverse("community:thread", args=[record.thread_id_ref])
        if record.post_id_ref:
            url += f"#post-{record.post_id_ref}"
    else:
        url = reverse("community:home")
    where = f" in {record.space.title}" if record.space is not None else ""
    notify(
        user=record.member_user,
        kind=MODERATION,
        title=f"{words}{where}",
        body=f"Reason: {record.reason}" if record.reason else "",
        url=url,
    )
