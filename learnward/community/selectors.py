"""Reads for the community. Every selector takes the acting user and enforces access: a course
space is for the course's enrolled learners and tutors (anyone else gets a 404), another
member's post is a 404 to edit, and nothing of a person who has not joined (or has left) is
shown to anyone."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from learnward.core.access import staff_powers
from learnward.learning.models import Enrolment

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

MODERATE_PERMISSION = "community.moderate_community"
TUTOR_PERMISSION = "learning.tutor_learners"


# --- who --------------------------------------------------------------------------------------


def current_member(*, user) -> Member | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.filter(user=user, left_at=None).first()


def member_for(*, user) -> Member | None:
    """The person's profile whether or not they are a current member (for their own pages)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.filter(user=user).first()


def is_site_moderator(user) -> bool:
    return staff_powers(user, MODERATE_PERMISSION)


def _tutors(user, course_id: int) -> bool:
    return (
        staff_powers(user, TUTOR_PERMISSION) and user.tutored_courses.filter(pk=course_id).exists()
    )


def can_moderate(*, user, space: Space) -> bool:
    if is_site_moderator(user):
        return True
    return space.kind == Space.Kind.COURSE and _tutors(user, space.course_id)


def is_moderator_anywhere(user) -> bool:
    if is_site_moderator(user):
        return True
    return (
        staff_powers(user, TUTOR_PERMISSION) and Space.objects.filter(course__tutors=user).exists()
    )


def moderated_spaces(*, user) -> QuerySet[Space]:
    if is_site_moderator(user):
        return Space.objects.all()
    if staff_powers(user, TUTOR_PERMISSION):
        return Space.objects.filter(kind=Space.Kind.COURSE, course__tutors=user)
    return Space.objects.none()


def tutored_courses_without_space(*, user):
    """Courses ``user`` tutors (or, for a moderator, any published course) that have no space."""
    from learnward.catalog.models import Course

    if is_site_moderator(user):
        courses = Course.objects.filter(published=True)
    elif staff_powers(user, TUTOR_PERMISSION):
        courses = Course.objects.filter(tutors=user)
    else:
        return Course.objects.none()
    return courses.filter(community_space__isnull=True).order_by("title")


def suspension_for(*, member: Member, space: Space | None) -> Suspension | None:
    """The suspension that stops ``member`` posting in ``space`` (community-wide first)."""
    suspensions = Suspension.objects.filter(member=member, lifted_at=None)
    query = Q(space=None)
    if space is not None:
        query |= Q(space=space)
    return suspensions.filter(query).order_by("space_id", "-created_at").first()


def my_suspensions(*, user) -> QuerySet[Suspension]:
    return Suspension.objects.filter(member__user=user, lifted_at=None).select_related("space")


# --- spaces -----------------------------------------------------------------------------------


def can_see_space(*, user, space: Space) -> bool:
    """Current members see the site's space and the spaces of the courses they are enrolled on;
    moderators see the spaces they moderate. Everyone else: nothing (a 404)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if can_moderate(user=user, space=space):
        return True
    if current_member(user=user) is None:
        return False
    if space.kind == Space.Kind.SITE:
        return True
    return Enrolment.objects.filter(user=user, course_id=space.course_id, left_at=None).exists()


def spaces_for(*, user) -> list[Space]:
    if not getattr(user, "is_authenticated", False):
        return []
    enrolled = Enrolment.objects.filter(user=user, left_at=None).values("course_id")
    query = Q(kind=Space.Kind.SITE) | Q(course_id__in=enrolled)
    spaces = list(Space.objects.filter(query).select_related("course").order_by("kind", "title"))
    for space in moderated_spaces(user=user).select_related("course"):
        if space not in spaces:
            spaces.append(space)
    return spaces


def space_get(*, user, space_id: int) -> Space:
    space = Space.objects.select_related("course").filter(pk=space_id).first()
    if space is None or not can_see_space(user=user, space=space):
        raise Http404("No such space")
    return space


def site_space() -> Space | None:
    return Space.objects.filter(kind=Space.Kind.SITE).first()


# --- threads and posts ------------------------------------------------------------------------


def _shown_author() -> Q:
    """Posts whose author is a current member (or whose author was erased: "Post removed")."""
    return Q(author__left_at=None, author__isnull=False) | Q(removed=True)


@dataclass(frozen=True)
class ThreadRow:
    thread: Thread
    opening: Post
    replies: int


def threads_in(*, user, space: Space) -> list[ThreadRow]:
    """The space's threads, newest activity first, whose opening post may be shown."""
    if not can_see_space(user=user, space=space):
        raise Http404
    openings = (
        Post.objects.filter(thread__space=space, is_opening=True)
        .filter(_shown_author())
        .select_related("thread", "author")
        .annotate(
            reply_count=Count(
                "thread__posts",
                filter=Q(thread__posts__is_opening=False, thread__posts__hidden_at=None),
            )
        )
        .order_by("-thread__last_post_at", "-thread_id")
    )
    return [ThreadRow(p.thread, p, p.reply_count) for p in openings[:200]]


def thread_get(*, user, thread_id: int) -> Thread:
    thread = Thread.objects.select_related("space__course").filter(pk=thread_id).first()
    if thread is None or not can_see_space(user=user, space=thread.space):
        raise Http404("No such thread")
    opening = thread.posts.filter(is_opening=True).filter(_shown_author()).first()
    if opening is None:
        raise Http404("No such thread")
    return thread


def posts_of(*, user, thread: Thread) -> list[Post]:
    """The thread's posts as ``user`` may see them: hidden ones stay in place (their author and
    moderators see their text; others see that a moderator hid them)."""
    posts = list(
        thread.posts.filter(_shown_author())
        .select_related("author")
        .prefetch_related(Prefetch("mentions", queryset=Mention.objects.select_related("member")))
        .order_by("created_at", "id")
    )
    moderator = can_moderate(user=user, space=thread.space)
    ids = [p.pk for p in posts]
    counts: dict[tuple[int, str], int] = {}
    for row in (
        Reaction.objects.filter(post_id__in=ids, member__left_at=None)
        .values("post_id", "kind")
        .annotate(n=Count("id"))
    ):
        counts[(row["post_id"], row["kind"])] = row["n"]
    mine = set(
        Reaction.objects.filter(post_id__in=ids, member__user=user).values_list("post_id", "kind")
    )
    for post in posts:
        own = post.author_id is not None and post.author.user_id == user.pk
        post.is_own = own
        post.text_visible = not post.hidden or own or moderator
        post.reaction_counts = [
            (kind, label, counts.get((post.pk, kind), 0), (post.pk, kind) in mine)
            for kind, label in Reaction.Kind.choices
        ]
    return posts


def own_post(*, user, post_id: int) -> Post:
    """The acting user's own post (to edit or delete); anyone else's is a 404."""
    post = (
        Post.objects.select_related("thread__space", "author")
        .filter(pk=post_id, author__user=user, author__left_at=None, removed=False)
        .first()
    )
    if post is None or not can_see_space(user=user, space=post.thread.space):
        raise Http404("No such post")
    return post


def visible_post(*, user, post_id: int) -> Post:
    post = (
        Post.objects.select_related("thread__space", "author")
        .filter(pk=post_id)
        .filter(_shown_author())
        .first()
    )
    if post is None or not can_see_space(user=user, space=post.thread.space):
        raise Http404("No such post")
    return post


def moderated_post(*, user, post_id: int) -> Post:
    post = Post.objects.select_related("thread__space", "author__user").filter(pk=post_id).first()
    if post is None or not can_moderate(user=user, space=post.thread.space):
        raise Http404("No such post")
    return post


def moderated_thread(*, user, thread_id: int) -> Thread:
    thread = Thread.objects.select_related("space").filter(pk=thread_id).first()
    if thread is None or not can_moderate(user=user, space=thread.space):
        raise Http404("No such thread")
    return thread


def moderated_member(*, user, member_id: int) -> Member:
    member = Member.objects.select_related("user").filter(pk=member_id).first()
    if member is None or not is_moderator_anywhere(user):
        raise Http404("No such member")
    return member


def moderated_suspension(*, user, suspension_id: int) -> Suspension:
    suspension = (
        Suspension.objects.select_related("space", "member__user").filter(pk=suspension_id).first()
    )
    if suspension is None:
        raise Http404
    if suspension.space is None:
        allowed = is_site_moderator(user)
    else:
        allowed = can_moderate(user=user, space=suspension.space)
    if not allowed:
        raise Http404
    return suspension


def moderated_report(*, user, report_id: int) -> Report:
    report = Report.objects.select_related("post__thread__space").filter(pk=report_id).first()
    if report is None or not can_moderate(user=user, space=report.post.thread.space):
        raise Http404
    return report


def member_profile(*, user, handle: str) -> Member:
    """A current member's public profile (display name, handle, bio: never an email address)."""
    if current_member(user=user) is None and not is_moderator_anywhere(user):
        raise Http404
    member = Member.objects.filter(handle__iexact=handle, left_at=None).first()
    if member is None:
        raise Http404("No such member")
    return member


# --- moderation queue -------------------------------------------------------------------------


def moderation_queue(*, user) -> dict:
    spaces = moderated_spaces(user=user)
    reports = (
        Report.objects.filter(status=Report.Status.OPEN, post__thread__space__in=spaces)
        .select_related("post__thread__space", "post__author")
        .order_by("created_at", "id")
    )
    hidden = (
        Post.objects.filter(thread__space__in=spaces, hidden_at__isnull=False)
        .select_related("thread__space", "author")
        .order_by("-hidden_at")[:50]
    )
    suspensions = Suspension.objects.filter(lifted_at=None).select_related("member", "space")
    if not is_site_moderator(user):
        suspensions = suspensions.filter(space__in=spaces)
    records = ModerationRecord.objects.filter(space__in=spaces).select_related("moderator")[:30]
    return {
        "reports": list(reports),
        "hidden": list(hidden),
        "suspensions": list(suspensions),
        "records": list(records),
    }


def my_moderation(*, user) -> list[ModerationRecord]:
    """What moderators did to the member's own posts, threads and membership, with the reasons."""
    return list(
        ModerationRecord.objects.filter(member_user=user)
        .exclude(kind=ModerationRecord.Kind.DISMISS)
        .select_related("space")[:50]
    )


# --- search -----------------------------------------------------------------------------------


def _search_sql(vendor: str) -> str:
    if vendor == "sqlite":
        return (
            "SELECT p.id FROM community_post_fts JOIN community_post p "
            "ON p.id = community_post_fts.rowid JOIN community_thread t ON t.id = p.thread_id "
            "WHERE community_post_fts MATCH %s AND t.space_id = %s "
            "ORDER BY bm25(community_post_fts, 3.0, 1.0), p.id LIMIT %s"
        )
    if vendor == "postgresql":
        return (
            "SELECT p.id FROM community_post p JOIN community_thread t ON t.id = p.thread_id, "
            "to_tsquery('english', %s) q WHERE p.search_vector @@ q AND t.space_id = %s "
            "ORDER BY ts_rank(p.search_vector, q, 1) DESC, p.id LIMIT %s"
        )
    raise NotImplementedError(f"full-text search is not built for {vendor}")


def search_space(*, user, space: Space, query: str, limit: int = 20) -> list[Post]:
    """Posts in ``space`` matching ``query``, best first, with the database's full-text search
    (SQLite FTS5, PostgreSQL tsvector), only those the user may see."""
    from learnward.ai.search import query_terms, raw_query_param

    if not can_see_space(user=user, space=space):
        raise Http404
    terms = query_terms(query or "")
    if not terms:
        return []
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute(_search_sql(vendor), [raw_query_param(vendor, terms), space.pk, limit * 3])
        ids = [row[0] for row in cursor.fetchall()]
    posts = {
        p.pk: p
        for p in Post.objects.filter(pk__in=ids, hidden_at=None, removed=False)
        .filter(_shown_author())
        .select_related("thread", "author")
    }
    found = [posts[i] for i in ids if i in posts][:limit]
    # The thread's title for replies.
    titles = dict(
        Post.objects.filter(
            thread_id__in={p.thread_id for p in found}, is_opening=True
        ).values_list("thread_id", "title")
    )
    for post in found:
        post.thread_title = titles.get(post.thread_id, "")
    return found
