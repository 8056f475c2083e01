"""Community pages: thin views over the selectors (reads, access) and services (writes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms import EditForm, ProfileForm, ReasonForm, ReplyForm, ReportForm, SearchForm, ThreadForm
from .models import Space
from .services import CommunityError


def _needs_membership(request):
    """A redirect to the community's home for someone who has not joined (moderators read)."""
    if selectors.current_member(user=request.user) is None and not selectors.is_moderator_anywhere(
        request.user
    ):
        messages.info(request, _("Join the community to read and post."))
        return redirect("community:home")
    return None


@login_required
def home(request):
    member = selectors.member_for(user=request.user)
    current = member is not None and member.current
    return render(
        request,
        "community/home.html",
        {
            "member": member,
            "current": current,
            "join_text": services.JOIN_TEXT,
            "spaces": selectors.spaces_for(user=request.user) if current else [],
            "suspensions": selectors.my_suspensions(user=request.user),
            "moderation": selectors.my_moderation(user=request.user),
            "moderator": selectors.is_moderator_anywhere(request.user),
            "without_space": selectors.tutored_courses_without_space(user=request.user),
        },
    )


@login_required
@require_POST
def space_open(request):
    from learnward.catalog.models import Course

    course = Course.objects.filter(pk=request.POST.get("course") or 0).first()
    if course is None:
        raise Http404
    space = services.course_space_open(actor=request.user, course=course)
    messages.success(
        request, _("The space for %(course)s is open to its learners.") % {"course": course.title}
    )
    return redirect("community:space", space.pk)


@login_required
@require_POST
def join(request):
    services.member_join(user=request.user)
    messages.success(request, _("Welcome to the community."))
    return redirect("community:home")


@login_required
@require_POST
def leave(request):
    if services.member_leave(user=request.user) is not None:
        messages.success(
            request, _("You left the community. Your profile and posts are hidden from everyone.")
        )
    return redirect("community:home")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request):
    member = selectors.current_member(user=request.user)
    if member is None:
        raise Http404
    form = ProfileForm(
        request.POST or None,
        initial={"display_name": member.display_name, "handle": member.handle, "bio": member.bio},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.profile_update(user=request.user, **form.cleaned_data)
            except CommunityError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Your community profile is saved."))
                return redirect("community:home")
        status = 400
    return render(
        request, "community/profile.html", {"form": form, "member": member}, status=status
    )


@login_required
def member(request, handle: str):
    shown = selectors.member_profile(user=request.user, handle=handle)
    return render(request, "community/member.html", {"shown": shown})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def space(request, space_id: int):
    needs = _needs_membership(request)
    if needs is not None:
        return needs
    space = selectors.space_get(user=request.user, space_id=space_id)
    member = selectors.current_member(user=request.user)
    suspension = selectors.suspension_for(member=member, space=space) if member else None
    form = ThreadForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                thread = services.thread_start(user=request.user, space=space, **form.cleaned_data)
            except CommunityError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Your thread is posted."))
                return redirect("community:thread", thread.pk)
        status = 400
    search = SearchForm(request.GET or None)
    results = None
    if search.is_valid() and search.cleaned_data["q"]:
        results = selectors.search_space(
            user=request.user, space=space, query=search.cleaned_data["q"]
        )
    return render(
        request,
        "community/space.html",
        {
            "space": space,
            "rows": selectors.threads_in(user=request.user, space=space),
            "form": form,
            "search": search,
            "results": results,
            "member": member,
            "suspension": suspension,
            "moderator": selectors.can_moderate(user=request.user, space=space),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def thread(request, thread_id: int):
    needs = _needs_membership(request)
    if needs is not None:
        return needs
    thread = selectors.thread_get(user=request.user, thread_id=thread_id)
    space = thread.space
    member = selectors.current_member(user=request.user)
    suspension = selectors.suspension_for(member=member, space=space) if member else None
    form = ReplyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                post = services.reply_create(
                    user=request.user, thread=thread, body=form.cleaned_data["body"]
                )
            except CommunityError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Your reply is posted."))
                return redirect(f"{thread_url(thread.pk)}#post-{post.pk}")
        status = 400
    posts = selectors.posts_of(user=request.user, thread=thread)
    opening = next((p for p in posts if p.is_opening), None)
    return render(
        request,
        "community/thread.html",
        {
            "thread": thread,
            "space": space,
            "opening": opening,
            "posts": posts,
            "form": form,
            "member": member,
            "suspension": suspension,
            "moderator": selectors.can_moderate(user=request.user, space=space),
            "site_moderator": selectors.is_site_moderator(request.user),
        },
        status=status,
    )


def thread_url(thread_id: int) -> str:
    from django.urls import reverse

    return reverse("community:thread", args=[thread_id])


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_edit(request, post_id: int):
    post = selectors.own_post(user=request.user, post_id=post_id)
    form = EditForm(
        request.POST or None,
        opening=post.is_opening,
        initial={"title": post.title, "body": post.body},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.post_edit(
                    user=request.user,
                    post=post,
                    body=form.cleaned_data["body"],
                    title=form.cleaned_data.get("title"),
                )
            except CommunityError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Your post is saved."))
                return redirect(f"{thread_url(post.thread_id)}#post-{post.pk}")
        status = 400
    return render(request, "community/edit.html", {"form": form, "post": post}, status=status)


@login_required
@require_POST
def post_delete(request, post_id: int):
    post = selectors.own_post(user=request.user, post_id=post_id)
    space_id = post.thread.space_id
    thread = services.post_delete(user=request.user, post=post)
    messages.success(request, _("Your post is deleted."))
    if thread is None:
        return redirect("community:space", space_id)
    return redirect("community:thread", thread.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_report(request, post_id: int):
    post = selectors.visible_post(user=request.user, post_id=post_id)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.post_report(
                    user=request.user, post=post, reason=form.cleaned_data["reason"]
                )
            except CommunityError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Thank you: a moderator will look at the post."))
                return redirect("community:thread", post.thread_id)
        status = 400
    return render(request, "community/report.html", {"form": form, "post": post}, status=status)


@login_required
@require_POST
def post_react(request, post_id: int):
    post = selectors.visible_post(user=request.user, post_id=post_id)
    try:
        services.reaction_toggle(user=request.user, post=post, kind=request.POST.get("kind", ""))
    except CommunityError as exc:
        messages.error(request, str(exc))
    return redirect(f"{thread_url(post.thread_id)}#post-{post.pk}")


# --- moderation ---------------------------------------------------------------------------------


@login_required
def moderation(request):
    if not selectors.is_moderator_anywhere(request.user):
        raise Http404
    return render(
        request,
        "community/moderation.html",
        {
            "queue": selectors.moderation_queue(user=request.user),
            "site_moderator": selectors.is_site_moderator(request.user),
        },
    )


def _reason_or_back(request, back: str):
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason: the member sees it."))
        return None, redirect(back)
    return form.cleaned_data["reason"], None


@login_required
@require_POST
def post_hide(request, post_id: int):
    post = selectors.moderated_post(user=request.user, post_id=post_id)
    back = (
        "community:moderation"
        if request.POST.get("back") == "queue"
        else thread_url(post.thread_id)
    )
    reason, response = _reason_or_back(request, back)
    if response is not None:
        return response
    services.post_hide(moderator=request.user, post=post, reason=reason)
    messages.success(request, _("The post is hidden; its author sees why."))
    return redirect(back)


@login_required
@require_POST
def post_restore(request, post_id: int):
    post = selectors.moderated_post(user=request.user, post_id=post_id)
    services.post_restore(moderator=request.user, post=post, reason=request.POST.get("reason", ""))
    messages.success(request, _("The post is shown again."))
    return redirect("community:thread", post.thread_id)


@login_required
@require_POST
def report_dismiss(request, report_id: int):
    report = selectors.moderated_report(user=request.user, report_id=report_id)
    services.report_dismiss(moderator=request.user, report=report)
    messages.success(request, _("The report is dismissed."))
    return redirect("community:moderation")


@login_required
@require_POST
def thread_lock(request, thread_id: int):
    thread = selectors.moderated_thread(user=request.user, thread_id=thread_id)
    lock = request.POST.get("lock", "1") == "1"
    if lock:
        reason, response = _reason_or_back(request, thread_url(thread.pk))
        if response is not None:
            return response
    else:
        reason = ""
    services.thread_lock(moderator=request.user, thread=thread, reason=reason, locked=lock)
    messages.success(
        request, _("The thread is locked.") if lock else _("The thread is open again.")
    )
    return redirect("community:thread", thread.pk)


@login_required
@require_POST
def thread_answered(request, thread_id: int):
    thread = selectors.moderated_thread(user=request.user, thread_id=thread_id)
    answered = request.POST.get("answered", "1") == "1"
    try:
        services.thread_mark_answered(tutor=request.user, thread=thread, answered=answered)
    except CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Marked as answered.") if answered else _("No longer marked as answered.")
        )
    return redirect("community:thread", thread.pk)


@login_required
@require_POST
def member_suspend(request, member_id: int):
    member = selectors.moderated_member(user=request.user, member_id=member_id)
    space_id = request.POST.get("space") or ""
    space = None
    if space_id:
        space = Space.objects.filter(pk=space_id).first()
        if space is None:
            raise Http404
    back = request.POST.get("next_thread")
    back = thread_url(int(back)) if back and back.isdigit() else "community:moderation"
    reason, response = _reason_or_back(request, back)
    if response is not None:
        return response
    try:
        services.member_suspend(moderator=request.user, member=member, space=space, reason=reason)
    except CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The member is suspended; they see why."))
    return redirect(back)


@login_required
@require_POST
def suspension_lift(request, suspension_id: int):
    suspension = selectors.moderated_suspension(user=request.user, suspension_id=suspension_id)
    services.suspension_lift(moderator=request.user, suspension=suspension)
    messages.success(request, _("The suspension is lifted."))
    return redirect("community:moderation")
