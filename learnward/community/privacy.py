"""Registry declarations for the community.

Joining is consent (purpose ``community``): the person clicks "Join the community" and the exact
words they saw are recorded (``privacy.consent``). Leaving withdraws it: their profile and posts
stop being shown to anyone at once (kept, hidden, so that rejoining brings them back) until they
rejoin or ask for erasure.

Erasure of a member deletes their profile, their mentions and reports, and each of their posts,
except a post others replied to (an opening post with replies): its text and title become
"Post removed" so the thread stays readable. Quotes of their words, or their @handle, in other
people's posts are not chased: those posts are the other people's.

Moderation records keep what accountability needs (what was done, by which moderator, why and
when) without the link to the member, for ``LEARNWARD_RETENTION_COMMUNITY_MODERATION_MONTHS``
(24 months by default).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, ErasureAction, Retention, RetentionAction, declare
from learnward.privacy.registry.erasure import Eraser, Subject, register_eraser
from learnward.privacy.registry.purposes import LawfulBasis, Purpose, register_purpose
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import (
    REMOVED_TEXT,
    Member,
    Mention,
    ModerationRecord,
    Post,
    Reaction,
    Report,
    Space,
    Suspension,
    Thread,
)

PURPOSE = "community"
CONTENT = "user.content.community"

register_purpose(
    Purpose(
        PURPOSE,
        _("The community"),
        LawfulBasis.CONSENT,
        _(
            "When you join the community, other members see your display name, your @handle, your "
            "short bio if you write one, and what you post: threads, replies, reactions and mentions of "
            "other members. Never your email address. Moderators see reports about posts and act on "
            "them. "
            "You can leave at any time: your profile and posts are then hidden from everyone until "
            "you join again, and erasing your account deletes them (a post others replied to "
            'becomes "Post removed"). Quotes of your words in other people\'s posts are theirs '
            "and are not removed."
        ),
        recipients=(_("Other members of the community"),),
    )
)

declare(Space, fields={f.name: NOT_PERSONAL for f in Space._meta.concrete_fields})
declare(
    Member,
    subject="user",
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "display_name": "user.name",
        "handle": "user.name",
        "bio": CONTENT,
        "joined_at": "user.consent",
        "left_at": "user.consent",
    },
    purposes=[PURPOSE],
    erasure=Erasure.delete(),
    retention_note=_(
        "While you are a member; after you leave, hidden from everyone until you "
        "join again or ask for erasure."
    ),
    label=_("Your community profile"),
)
declare(
    Thread,
    subject="answered_by",
    fields={
        "id": NOT_PERSONAL,
        "space": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "last_post_at": NOT_PERSONAL,
        "locked_at": NOT_PERSONAL,
        # The moderator's public note on a locked thread ("Resolved, see the answer"); what the
        # moderator answers for is kept in the moderation record.
        "locked_reason": NOT_PERSONAL,
        "answered_at": NOT_PERSONAL,
        "answered_by": "user.unique_id",
    },
    purposes=[PURPOSE],
    erasure=Erasure.anonymise(
        "answered_by", reason=_("The question stays answered; who marked it is forgotten.")
    ),
    retention_note=_("As long as the thread."),
    source=_("A tutor, when they marked your question answered"),
    label=_("Questions you marked answered"),
)
declare(
    Post,
    subject="author__user",
    fields={
        "id": NOT_PERSONAL,
        "thread": NOT_PERSONAL,
        "author": "user.unique_id",
        "is_opening": NOT_PERSONAL,
        "title": CONTENT,
        "body": CONTENT,
        "created_at": CONTENT,
        "edited_at": CONTENT,
        "hidden_at": CONTENT,
        "hidden_reason": CONTENT,
        "removed": NOT_PERSONAL,
    },
    purposes=[PURPOSE],
    erasure=Erasure.delete(),
    retention_note=_("While you are a member, or until you delete the post."),
    label=_("Your community posts"),
)
declare(
    Mention,
    subject="member__user",
    fields={
        "id": NOT_PERSONAL,
        "post": NOT_PERSONAL,
        "member": "user.unique_id",
        "created_at": CONTENT,
    },
    purposes=[PURPOSE],
    erasure=Erasure.delete(),
    retention_note=_("As long as the post that mentions you."),
    label=_("Mentions of you in the community"),
)
declare(
    Reaction,
    subject="member__user",
    fields={
        "id": NOT_PERSONAL,
        "post": NOT_PERSONAL,
        "member": "user.unique_id",
        "kind": CONTENT,
        "created_at": CONTENT,
    },
    purposes=[PURPOSE],
    erasure=Erasure.delete(),
    retention_note=_("Until you take the reaction back, or as long as the post."),
    label=_("Your reactions to community posts"),
)
declare(
    Report,
    subject="reporter",
    fields={
        "id": NOT_PERSONAL,
        "post": NOT_PERSONAL,
        "reporter": "user.unique_id",
        "reason": CONTENT,
        "status": NOT_PERSONAL,
        "created_at": CONTENT,
        "resolved_at": CONTENT,
    },
    purposes=[PURPOSE],
    erasure=Erasure.delete(),
    retention=Retention(
        description=_("24 months after a moderator dealt with it"),
        anchor="resolved_at",
        months=24,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_COMMUNITY_MODERATION_MONTHS",
        minimum_months=1,
    ),
    label=_("Posts you reported"),
)
declare(
    Suspension,
    subject="member__user",
    fields={
        "id": NOT_PERSONAL,
        "member": "user.unique_id",
        "space": NOT_PERSONAL,
        "reason": CONTENT,
        "created_at": CONTENT,
        "lifted_at": CONTENT,
    },
    purposes=[PURPOSE],
    erasure=Erasure.delete(),
    retention_note=_("While you are a member; the moderation record keeps why."),
    label=_("Suspensions from posting"),
)
declare(
    ModerationRecord,
    subject="member_user",
    fields={
        "id": NOT_PERSONAL,
        "kind": NOT_PERSONAL,
        "space": NOT_PERSONAL,
        "moderator": "user.unique_id",
        "member_user": "user.unique_id",
        "post_id_ref": NOT_PERSONAL,
        "thread_id_ref": NOT_PERSONAL,
        "reason": CONTENT,
        "at": CONTENT,
    },
    purposes=[PURPOSE, "audit"],
    erasure=Erasure.retain(
        reason=_(
            "Moderators answer for what they did: the record keeps what was done, why and "
            "when, no longer linked to you."
        ),
        fields=("moderator", "reason", "at"),
    ),
    retention=Retention(
        description=_("24 months after the moderator acted"),
        anchor="at",
        months=24,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_COMMUNITY_MODERATION_MONTHS",
        minimum_months=1,
    ),
    source=_("A moderator, when they acted on your post, thread or membership"),
    label=_("Moderation of your posts"),
)


# --- erasure of a member's posts: delete, or "Post removed" where replies depend on them --------


def _subject_posts(subject: Subject):
    if subject.user_id is None:
        return Post.objects.none()
    return Post.objects.filter(author__user_id=subject.user_id)


def _erase_posts(subject: Subject) -> int:
    posts = _subject_posts(subject)
    count = posts.count()
    if not count:
        return 0
    user_id = subject.user_id
    others_replied = Post.objects.filter(thread_id=OuterRef("thread_id"), is_opening=False).exclude(
        author__user_id=user_id
    )
    keep_ids = set(
        posts.filter(is_opening=True).filter(Exists(others_replied)).values_list("pk", flat=True)
    )
    # Threads the subject opened and nobody else replied to go with all their posts.
    lone_threads = (
        posts.filter(is_opening=True).exclude(pk__in=keep_ids).values_list("thread_id", flat=True)
    )
    Thread.objects.filter(pk__in=list(lone_threads)).delete()
    Post.objects.filter(pk__in=keep_ids).update(
        author=None,
        title=REMOVED_TEXT,
        body=REMOVED_TEXT,
        removed=True,
        edited_at=None,
        hidden_at=None,
        hidden_reason="",
    )
    _subject_posts(subject).exclude(pk__in=keep_ids).delete()
    if connection.vendor == "sqlite":
        # FTS5 keeps deleted terms in older segments until they merge: merge them all now, so
        # (with secure_delete on) none of the erased words stays readable in the file.
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO community_post_fts(community_post_fts) VALUES ('optimize')")
    return count


register_eraser(
    Post,
    Eraser(
        action=ErasureAction.DELETE,
        count=lambda subject: _subject_posts(subject).count(),
        erase=_erase_posts,
        fields=("title", "body"),
        note=_(
            "Posts are deleted; a thread you opened that others replied to keeps your opening "
            'post as "Post removed", so their replies still make sense. Quotes of your words in '
            "other people's posts are not removed."
        ),
    ),
)
