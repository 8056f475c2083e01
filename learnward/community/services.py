"""Writes for the community: joining and leaving (consent), profiles, threads and posts, reports
and moderation. Each top-level service is one transaction with one audit entry.

Who may do what is checked here as well as in the selectors the views use, so a service called
from elsewhere (the demo, a test) cannot skip it: posting needs current membership, access to the
space and no suspension; editing and deleting need authorship (someone else's post is a 404);
moderation needs :func:`selectors.can_moderate`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnward.accounts.limits import RateLimited, hit
from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.errors import ApplicationError
from learnward.privacy.consent.gate import processing_decision
from learnward.privacy.consent.models import ConsentMethod
from learnward.privacy.consent.services import consent_record, text_version

from . import notifying, selectors
from .models import (
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
from .privacy import PURPOSE

# The words a person agrees to, in the language they read them in; what they saw is recorded.
JOIN_TEXT = gettext_lazy(
    "Join the community: other members will see your display name, your @handle, your short "
    "bio if you write one, and what you post. Never your email address. You can leave at any "
    "time, and your posts are then hidden from everyone until you join again."
)
LEAVE_TEXT = gettext_lazy("Leave the community: your profile and posts are hidden from everyone.")

HANDLE_RE = re.compile(r"^[A-Za-z0-9_-]{3,30}$")
# @handle, not part of an email address or a longer word.
MENTION_RE = re.compile(r"(?<![\w@/.-])@([A-Za-z0-9_-]{3,30})\b")


def _after_commit(tell: Callable[..., None], **kwargs) -> None:
    """Tell people (``notifying``) once the post or the moderation act has committed."""
    transaction.on_commit(lambda: tell(**kwargs))


class CommunityError(ApplicationError, ValueError):
    pass


# --- joining, leaving, profile ---------------------------------------------------------------


def default_handle(display_name: str) -> str:
    base = re.sub(r"[^a-z0-9_-]", "", display_name.lower().replace(" ", "-"))[:24] or "member"
    if len(base) < 3:
        base = (base + "member")[:24]
    handle, n = base, 1
    while Member.objects.filter(handle__iexact=handle).exists():
        n += 1
        handle = f"{base}{n}"
    return handle


def member_join(*, user) -> Member:
    """The explicit act of joining: the consent with its words, then the profile (made, or the
    one kept from before, shown again)."""
    if not getattr(user, "pk", None):
        raise CommunityError(_("Sign in to join the community."))
    now = timezone.now()
    with transaction.atomic(durable=True):
        consent_record(
            subject=user,
            purpose=PURPOSE,
            given=True,
            text=str(JOIN_TEXT),
            version=text_version(str(JOIN_TEXT)),
            method=ConsentMethod.FORM,
        )
        member = Member.objects.select_for_update().filter(user=user).first()
        if member is None:
            first_name = (user.display_name or "").split()[0] if user.display_name else "Member"
            member = Member.objects.create(
                user=user,
                display_name=first_name[:80],
                handle=default_handle(first_name),
                joined_at=now,
            )
        else:
            member.left_at = None
            member.joined_at = now
            member.save(update_fields=["left_at", "joined_at"])
        audit_record(action=Action.COMMUNITY_JOINED, actor=user, subject=user, target=member)
    return member


def member_leave(*, user) -> Member | None:
    """Withdraw the consent: the profile and posts are hidden from everyone at once."""
    with transaction.atomic(durable=True):
        member = Member.objects.select_for_update().filter(user=user, left_at=None).first()
        if member is None:
            return None
        consent_record(
            subject=user,
            purpose=PURPOSE,
            given=False,
            text=str(LEAVE_TEXT),
            version=text_version(str(LEAVE_TEXT)),
            method=ConsentMethod.FORM,
        )
        member.left_at = timezone.now()
        member.save(update_fields=["left_at"])
        audit_record(action=Action.COMMUNITY_LEFT, actor=user, subject=user, target=member)
    return member


def profile_update(*, user, display_name: str, handle: str, bio: str) -> Member:
    member = selectors.current_member(user=user)
    if member is None:
        raise Http404
    display_name = (display_name or "").strip()
    handle = (handle or "").strip()
    bio = (bio or "").strip()
    if not display_name:
        raise CommunityError(_("Enter a display name."))
    if "@" in display_name or "@" in bio:
        raise CommunityError(_("Your profile cannot show an email address."))
    if not HANDLE_RE.match(handle):
        raise CommunityError(_("A handle is 3 to 30 letters, digits, hyphens or underscores."))
    if Member.objects.filter(handle__iexact=handle).exclude(pk=member.pk).exists():
        raise CommunityError(_("Another member has that handle already; choose another."))
    with transaction.atomic(durable=True):
        member.display_name = display_name[:80]
        member.handle = handle
        member.bio = bio[:300]
        try:
            member.save(update_fields=["display_name", "handle", "bio"])
        except IntegrityError as exc:
            raise CommunityError(
                _("Another member has that handle already; choose another.")
            ) from exc
        audit_record(
            action=Action.COMMUNITY_PROFILE_CHANGED, actor=user, subject=user, target=member
        )
    return member


# --- posting ------------------------------------------------------------------------------------


def _poster(*, user, space: Space) -> Member:
    """The member posting in ``space``, or why they may not."""
    if not selectors.can_see_space(user=user, space=space):
        raise Http404
    member = selectors.current_member(user=user)
    if member is None:
        raise CommunityError(_("Join the community to post."))
    suspension = selectors.suspension_for(member=member, space=space)
    if suspension is not None:
        raise CommunityError(
            _("You are suspended from posting here: %(reason)s") % {"reason": suspension.reason}
        )
    decision = processing_decision(user=user, purpose=PURPOSE)
    if not decision.allowed:
        # While the member restricts processing, nothing new of theirs is shown to others.
        raise CommunityError(_("You cannot post now. %(reason)s") % {"reason": decision.reason})
    return member


def _mentioned(body: str, *, author: Member, space: Space) -> list[Member]:
    handles = {h.lower() for h in MENTION_RE.findall(body or "")}
    handles.discard(author.handle.lower())
    if len(handles) > settings.COMMUNITY_MENTION_LIMIT:
        raise CommunityError(
            _("A post may mention at most %(limit)s members; this one mentions %(count)s.")
            % {"limit": settings.COMMUNITY_MENTION_LIMIT, "count": len(handles)}
        )
    if not handles:
        return []
    query = Q()
    for handle in handles:
        query |= Q(handle__iexact=handle)
    members = Member.objects.filter(query, left_at=None).select_related("user")
    # Only those who can read the space are linked and told (a course space is for its
    # learners and tutors: nobody else learns that the thread exists).
    return [m for m in members if selectors.can_see_space(user=m.user, space=space)]


def _rate_limit(*, member: Member) -> None:
    try:
        hit(
            "community-post",
            str(member.user_id),
            limit=settings.COMMUNITY_POSTS_PER_WINDOW,
            window=settings.COMMUNITY_POST_WINDOW_SECONDS,
        )
    except RateLimited as exc:
        minutes = max(1, settings.COMMUNITY_POST_WINDOW_SECONDS // 60)
        raise CommunityError(
            _(
                "You have posted %(posts)s times in the last %(minutes)s minutes. Please wait "
                "a little before posting again."
            )
            % {"posts": settings.COMMUNITY_POSTS_PER_WINDOW, "minutes": minutes}
        ) from exc


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise CommunityError(_("Write something to post."))
    if len(body) > 10000:
        raise CommunityError(_("A post can be at most 10,000 characters."))
    return body


def _record_mentions(*, post: Post, members: list[Member], now) -> list[Member]:
    known = set(post.mentions.values_list("member_id", flat=True))
    new = [m for m in members if m.pk not in known]
    Mention.objects.bulk_create(Mention(post=post, member=m, created_at=now) for m in new)
    return new


def thread_start(*, user, space: Space, title: str, body: str) -> Thread:
    member = _poster(user=user, space=space)
    title = (title or "").strip()
    if not title:
        raise CommunityError(_("Give your thread a title."))
    if len(title) > 200:
        raise CommunityError(_("A title can be at most 200 characters."))
    body = _check_body(body)
    mentioned = _mentioned(body, author=member, space=space)
    _rate_limit(member=member)
    now = timezone.now()
    with transaction.atomic(durable=True):
        thread = Thread.objects.create(space=space, created_at=now, last_post_at=now)
        post = Post.objects.create(
            thread=thread, author=member, is_opening=True, title=title, body=body, created_at=now
        )
        new = _record_mentions(post=post, members=mentioned, now=now)
        audit_record(
            action=Action.COMMUNITY_THREAD_STARTED, actor=user, subject=user, target=thread
        )
        _after_commit(notifying.mentioned, post=post, members=new)
    return thread


def reply_create(*, user, thread: Thread, body: str) -> Post:
    thread = selectors.thread_get(user=user, thread_id=thread.pk)  # a 404 unless it is shown
    member = _poster(user=user, space=thread.space)
    if thread.locked:
        raise CommunityError(_("This thread is locked: no new replies."))
    body = _check_body(body)
    mentioned = _mentioned(body, author=member, space=thread.space)
    _rate_limit(member=member)
    now = timezone.now()
    with transaction.atomic(durable=True):
        post = Post.objects.create(thread=thread, author=member, body=body, created_at=now)
        Thread.objects.filter(pk=thread.pk).update(last_post_at=now)
        new = _record_mentions(post=post, members=mentioned, now=now)
        audit_record(action=Action.COMMUNITY_POST_CREATED, actor=user, subject=user, target=post)
        _after_commit(notifying.replied, post=post)
        _after_commit(notifying.mentioned, post=post, members=new)
    return post


def post_edit(*, user, post: Post, body: str, title: str | None = None) -> Post:
    post = selectors.own_post(user=user, post_id=post.pk)
    member = _poster(user=user, space=post.thread.space)
    body = _check_body(body)
    mentioned = _mentioned(body, author=member, space=post.thread.space)
    now = timezone.now()
    with transaction.atomic(durable=True):
        post.body = body
        fields = ["body", "edited_at"]
        if post.is_opening and title is not None:
            title = title.strip()
            if not title:
                raise CommunityError(_("Give your thread a title."))
            post.title = title[:200]
            fields.append("title")
        post.edited_at = now
        post.save(update_fields=fields)
        new = _record_mentions(post=post, members=mentioned, now=now)
        audit_record(action=Action.COMMUNITY_POST_EDITED, actor=user, subject=user, target=post)
        _after_commit(notifying.mentioned, post=post, members=new)
    return post


def post_delete(*, user, post: Post) -> Thread | None:
    """Delete one's own post. An opening post others replied to becomes "Post removed" (the
    thread stays readable); a thread with only the author's posts goes. Returns the thread if it
    still exists."""
    post = selectors.own_post(user=user, post_id=post.pk)
    thread = post.thread
    with transaction.atomic(durable=True):
        audit_record(action=Action.COMMUNITY_POST_DELETED, actor=user, subject=user, target=post)
        if post.is_opening:
            others = thread.posts.filter(is_opening=False).exclude(author=post.author)
            if others.exists():
                Post.objects.filter(pk=post.pk).update(
                    author=None, title="Post removed", body="Post removed", removed=True
                )
                return thread
            thread.delete()
            return None
        post.delete()
    return thread


def reaction_toggle(*, user, post: Post, kind: str) -> bool:
    """Add the member's reaction of ``kind`` to ``post``, or take it back. True when it is on.
    Not audited: a reaction is the member's own, undoable, and shown only as a count."""
    post = selectors.visible_post(user=user, post_id=post.pk)
    if kind not in Reaction.Kind.values:
        raise CommunityError(_("Choose Thanks or Helpful."))
    member = selectors.current_member(user=user)
    if member is None:
        raise CommunityError(_("Join the community to react to a post."))
    if post.hidden or post.removed or post.author_id == member.pk:
        raise CommunityError(_("You cannot react to this post."))
    with transaction.atomic(durable=True):
        deleted, _count = Reaction.objects.filter(post=post, member=member, kind=kind).delete()
        if deleted:
            return False
        Reaction.objects.create(post=post, member=member, kind=kind, created_at=timezone.now())
    return True


# --- reports and moderation -------------------------------------------------------------------


def post_report(*, user, post: Post, reason: str) -> Report:
    post = selectors.visible_post(user=user, post_id=post.pk)
    if selectors.current_member(user=user) is None:
        raise CommunityError(_("Join the community to report a post."))
    reason = (reason or "").strip()
    if not reason:
        raise CommunityError(_("Say why you are reporting this post."))
    if len(reason) > 500:
        raise CommunityError(_("A reason can be at most 500 characters."))
    if post.author_id and post.author.user_id == user.pk:
        raise CommunityError(_("You cannot report your own post."))
    with transaction.atomic(durable=True):
        report = Report.objects.create(
            post=post, reporter=user, reason=reason, created_at=timezone.now()
        )
        audit_record(action=Action.COMMUNITY_POST_REPORTED, actor=user, subject=user, target=report)
    return report


def _require_moderator(*, user, space: Space) -> None:
    if not selectors.can_moderate(user=user, space=space):
        raise Http404


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CommunityError(_("Give a reason: the member sees it."))
    return reason[:300]


def _record(*, kind, moderator, space, member_user=None, post=None, thread=None, reason=""):
    return ModerationRecord.objects.create(
        kind=kind,
        space=space,
        moderator=moderator,
        member_user=member_user,
        post_id_ref=post.pk if post is not None else None,
        thread_id_ref=(thread or (post.thread if post is not None else None)).pk
        if (thread or post)
        else None,
        reason=reason,
        at=timezone.now(),
    )


def post_hide(*, moderator, post: Post, reason: str) -> Post:
    space = post.thread.space
    _require_moderator(user=moderator, space=space)
    reason = _reason(reason)
    now = timezone.now()
    with transaction.atomic(durable=True):
        Post.objects.filter(pk=post.pk).update(hidden_at=now, hidden_reason=reason)
        post.refresh_from_db()
        Report.objects.filter(post=post, status=Report.Status.OPEN).update(
            status=Report.Status.HIDDEN, resolved_at=now
        )
        author_user = post.author.user if post.author_id else None
        record = _record(
            kind=ModerationRecord.Kind.HIDE,
            moderator=moderator,
            space=space,
            member_user=author_user,
            post=post,
            reason=reason,
        )
        audit_record(
            action=Action.COMMUNITY_POST_HIDDEN,
            actor=moderator,
            subject=author_user,
            target=post,
            payload={"record": record.pk},
        )
        _after_commit(notifying.moderated, record=record)
    return post


def post_restore(*, moderator, post: Post, reason: str = "") -> Post:
    space = post.thread.space
    _require_moderator(user=moderator, space=space)
    with transaction.atomic(durable=True):
        Post.objects.filter(pk=post.pk).update(hidden_at=None, hidden_reason="")
        post.refresh_from_db()
        author_user = post.author.user if post.author_id else None
        record = _record(
            kind=ModerationRecord.Kind.RESTORE,
            moderator=moderator,
            space=space,
            member_user=author_user,
            post=post,
            reason=(reason or "").strip()[:300],
        )
        audit_record(
            action=Action.COMMUNITY_POST_RESTORED,
            actor=moderator,
            subject=author_user,
            target=post,
            payload={"record": record.pk},
        )
        _after_commit(notifying.moderated, record=record)
    return post


def report_dismiss(*, moderator, report: Report) -> Report:
    space = report.post.thread.space
    _require_moderator(user=moderator, space=space)
    with transaction.atomic(durable=True):
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.DISMISSED, resolved_at=timezone.now()
        )
        report.refresh_from_db()
        _record(
            kind=ModerationRecord.Kind.DISMISS, moderator=moderator, space=space, post=report.post
        )
        audit_record(action=Action.COMMUNITY_REPORT_DISMISSED, actor=moderator, target=report)
    return report


def thread_lock(*, moderator, thread: Thread, reason: str, locked: bool = True) -> Thread:
    space = thread.space
    _require_moderator(user=moderator, space=space)
    reason = _reason(reason) if locked else (reason or "").strip()[:300]
    with transaction.atomic(durable=True):
        Thread.objects.filter(pk=thread.pk).update(
            locked_at=timezone.now() if locked else None, locked_reason=reason if locked else ""
        )
        thread.refresh_from_db()
        opening = thread.posts.filter(is_opening=True).select_related("author__user").first()
        author_user = opening.author.user if opening and opening.author_id else None
        record = _record(
            kind=ModerationRecord.Kind.LOCK if locked else ModerationRecord.Kind.UNLOCK,
            moderator=moderator,
            space=space,
            member_user=author_user,
            thread=thread,
            reason=reason,
        )
        audit_record(
            action=Action.COMMUNITY_THREAD_LOCKED if locked else Action.COMMUNITY_THREAD_UNLOCKED,
            actor=moderator,
            subject=author_user,
            target=thread,
            payload={"record": record.pk},
        )
        _after_commit(notifying.moderated, record=record)
    return thread


def thread_mark_answered(*, tutor, thread: Thread, answered: bool = True) -> Thread:
    """A tutor of the course (or a moderator) marks a course-space question answered."""
    space = thread.space
    if space.kind != Space.Kind.COURSE:
        raise CommunityError(_("Only questions in a course space are marked answered."))
    _require_moderator(user=tutor, space=space)
    with transaction.atomic(durable=True):
        Thread.objects.filter(pk=thread.pk).update(
            answered_at=timezone.now() if answered else None,
            answered_by=tutor if answered else None,
        )
        thread.refresh_from_db()
        _record(kind=ModerationRecord.Kind.ANSWERED, moderator=tutor, space=space, thread=thread)
        audit_record(
            action=Action.COMMUNITY_THREAD_ANSWERED,
            actor=tutor,
            target=thread,
            payload={"answered": answered},
        )
    return thread


def member_suspend(*, moderator, member: Member, space: Space | None, reason: str) -> Suspension:
    """Suspend ``member`` from posting in ``space`` (a course space its tutors moderate) or, for
    the Moderator role, everywhere (``space`` None)."""
    if space is None:
        if not selectors.is_site_moderator(moderator):
            raise Http404
    else:
        _require_moderator(user=moderator, space=space)
    if member.user_id == moderator.pk:
        raise CommunityError(_("You cannot suspend yourself."))
    reason = _reason(reason)
    with transaction.atomic(durable=True):
        suspension = Suspension.objects.create(
            member=member, space=space, reason=reason, created_at=timezone.now()
        )
        record = _record(
            kind=ModerationRecord.Kind.SUSPEND,
            moderator=moderator,
            space=space,
            member_user=member.user,
            reason=reason,
        )
        audit_record(
            action=Action.COMMUNITY_MEMBER_SUSPENDED,
            actor=moderator,
            subject=member.user,
            target=suspension,
            payload={"record": record.pk},
        )
        _after_commit(notifying.moderated, record=record)
    return suspension


def suspension_lift(*, moderator, suspension: Suspension) -> Suspension:
    if suspension.space is None:
        if not selectors.is_site_moderator(moderator):
            raise Http404
    else:
        _require_moderator(user=moderator, space=suspension.space)
    with transaction.atomic(durable=True):
        Suspension.objects.filter(pk=suspension.pk).update(lifted_at=timezone.now())
        suspension.refresh_from_db()
        record = _record(
            kind=ModerationRecord.Kind.UNSUSPEND,
            moderator=moderator,
            space=suspension.space,
            member_user=suspension.member.user,
        )
        audit_record(
            action=Action.COMMUNITY_MEMBER_UNSUSPENDED,
            actor=moderator,
            subject=suspension.member.user,
            target=suspension,
            payload={"record": record.pk},
        )
        _after_commit(notifying.moderated, record=record)
    return suspension


# --- spaces --------------------------------------------------------------------------------------


def site_space_ensure() -> Space:
    space = Space.objects.filter(kind=Space.Kind.SITE).first()
    if space is None:
        space = Space.objects.create(
            kind=Space.Kind.SITE,
            title="Community",
            description="Talk with other learners on this site.",
        )
    return space


def course_space_open(*, actor, course) -> Space:
    """A tutor of ``course`` (or a moderator) opens its space, for its enrolled learners."""
    if not (
        selectors.is_site_moderator(actor)
        or selectors.tutored_courses_without_space(user=actor).filter(pk=course.pk).exists()
    ):
        raise Http404
    with transaction.atomic(durable=True):
        space = course_space_ensure(course=course)
        _record(kind=ModerationRecord.Kind.OPEN, moderator=actor, space=space)
        audit_record(action=Action.COMMUNITY_SPACE_OPENED, actor=actor, target=space)
    return space


def course_space_ensure(*, course) -> Space:
    space, _created = Space.objects.get_or_create(
        course=course,
        defaults={"kind": Space.Kind.COURSE, "title": course.title[:200]},
    )
    return space
