"""The community: spaces, members (who joined, with their profile), threads and posts, mentions,
reports, suspensions and the moderation record.

- A :class:`Space` is the whole site's (one) or a course's (one per course, for its enrolled
  learners and tutors).
- A :class:`Member` is a person who joined the community (an explicit act recorded as consent);
  one row per person, holding their profile (display name, handle, short bio). Leaving sets
  ``left_at``: while a person is not a current member nothing of theirs is shown to anyone.
- A :class:`Thread` is opened by its first :class:`Post` (``is_opening``), which carries the title.
- A post a moderator hid keeps its text (its author still sees it, with the reason); a post
  whose author was erased while others had replied is ``removed``: "Post removed".
- :class:`ModerationRecord` is what accountability needs of every moderation act (what, when,
  by whom, why), kept for ``COMMUNITY_MODERATION_RETENTION_MONTHS``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

REMOVED_TEXT = "Post removed"


class Space(models.Model):
    # The site-wide space is created by a migration: a fresh site with only it counts as empty
    # (for `learnward restore`'s refusal to overwrite a site holding data).
    SEEDED_BY_MIGRATIONS = True

    class Kind(models.TextChoices):
        SITE = "site", _("Whole community")
        COURSE = "course", _("Course space")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    course = models.OneToOneField(
        "catalog.Course",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="community_space",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "title", "id"]
        permissions = [("moderate_community", "Can moderate the whole community")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="site"), name="one_site_space"
            ),
            models.CheckConstraint(
                condition=Q(kind="site", course__isnull=True)
                | Q(kind="course", course__isnull=False),
                name="space_course_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Member(models.Model):
    """Someone who joined the community, and their community profile."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_member"
    )
    display_name = models.CharField(max_length=80)
    handle = models.CharField(
        max_length=30,
        unique=True,
        help_text=_("How others mention you: @ followed by this. Letters, digits, - and _."),
    )
    bio = models.CharField(max_length=300, blank=True)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["display_name", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def current(self) -> bool:
        return self.left_at is None


class Thread(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    created_at = models.DateTimeField()
    last_post_at = models.DateTimeField()
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_reason = models.CharField(max_length=300, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-last_post_at", "-id"]

    def __str__(self) -> str:
        return f"Thread {self.pk}"

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    is_opening = models.BooleanField(default=False)
    # The thread's title, on its opening post only (so one full-text index covers both).
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(help_text=_("Markdown; shown sanitised."))
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)
    # The author was erased while others' replies depended on this post: "Post removed".
    removed = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"], name="community_post_thread")]

    def __str__(self) -> str:
        return f"Post {self.pk}"

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None


class Mention(models.Model):
    """``@handle`` in a post, naming a member (who is told, if they want)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="mentioned_in")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "member"], name="one_mention_per_post")
        ]

    def __str__(self) -> str:
        return f"Mention {self.pk}"


class Reaction(models.Model):
    """A member's "Thanks" or "Helpful" on a post: one of each per member and post."""

    class Kind(models.TextChoices):
        THANKS = "thanks", _("Thanks")
        HELPFUL = "helpful", _("Helpful")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "member", "kind"], name="one_reaction_each")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Report(models.Model):
    """A member's report of a post, with their reason, until a moderator deals with it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a moderator")
        HIDDEN = "hidden", _("Post hidden")
        DISMISSED = "dismissed", _("No action needed")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Report {self.pk}"


class Suspension(models.Model):
    """A member may not post in ``space`` (or anywhere, when ``space`` is empty) until lifted.
    The member sees the reason."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="suspensions")
    space = models.ForeignKey(
        Space, null=True, blank=True, on_delete=models.CASCADE, related_name="suspensions"
    )
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Suspension {self.pk}"


class ModerationRecord(models.Model):
    """One moderation act, for accountability: what was done, to which member's content, by whom,
    why and when. Survives the member's erasure without the link to them (see privacy.py)."""

    class Kind(models.TextChoices):
        HIDE = "hide", _("Post hidden")
        RESTORE = "restore", _("Post restored")
        LOCK = "lock", _("Thread locked")
        UNLOCK = "unlock", _("Thread unlocked")
        SUSPEND = "suspend", _("Member suspended")
        UNSUSPEND = "unsuspend", _("Suspension lifted")
        DISMISS = "dismiss", _("Report dismissed")
        ANSWERED = "answered", _("Question marked answered")
        OPEN = "open", _("Course space opened")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    space = models.ForeignKey(Space, null=True, on_delete=models.SET_NULL, related_name="+")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    member_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Whose post, thread or membership it was."),
    )
    post_id_ref = models.PositiveBigIntegerField(null=True, blank=True)
    thread_id_ref = models.PositiveBigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.get_kind_display()
