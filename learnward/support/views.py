"""Contact form, "Your messages", thread links, and the staff desk. Thin: services do the work."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from learnward.accounts.limits import RateLimited, hit
from learnward.core.access import staff_required
from learnward.learning.selectors import TUTOR_PERMISSION, tutor_enrolment_get

from . import selectors, services
from .forms import (
    AccountMessageForm,
    ContactForm,
    EscalateForm,
    EscalationRequestForm,
    FinalResponseForm,
    FollowUpForm,
    LearnerMessageForm,
    ReplyForm,
    StatusForm,
)
from .models import Enquiry

_WINDOW = 60 * 60


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@require_http_methods(["GET", "HEAD", "POST"])
def contact(request):
    signed_in = request.user.is_authenticated
    form_class = AccountMessageForm if signed_in else ContactForm
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if not signed_in and data.get("website"):
                return redirect("support:sent")  # a bot: say thanks, keep nothing
            try:
                limit = settings.SUPPORT_RATE_LIMIT
                hit("support-address", _client_address(request), limit=limit, window=_WINDOW)
                identity = request.user.email if signed_in else data["email"].lower()
                hit("support-email", identity, limit=limit, window=_WINDOW)
            except RateLimited:
                form.add_error(
                    None,
                    _(
                        "You have sent us several messages in the last hour. Please wait a while "
                        "before sending another."
                    ),
                )
                status = 429
            else:
                try:
                    enquiry = services.enquiry_submit(
                        kind=data.get("kind", Enquiry.Kind.ENQUIRY),
                        subject=data["subject"],
                        body=data["message"],
                        name=data.get("name", ""),
                        email=data.get("email", ""),
                        user=request.user if signed_in else None,
                        course=data.get("course"),
                    )
                except services.SupportError as exc:
                    form.add_error(None, str(exc))
                    status = 400
                else:
                    if signed_in:
                        messages.success(
                            request,
                            _("Thank you. Your message was sent (%(reference)s).")
                            % {"reference": enquiry.reference},
                        )
                        return redirect(enquiry.get_absolute_url())
                    return redirect("support:sent")
        else:
            status = 400
    return render(request, "support/contact.html", {"form": form}, status=status)


def sent(request):
    return render(request, "support/sent.html")


@login_required
def mine(request):
    enquiries = selectors.enquiries_for_user(actor=request.user)
    return render(request, "support/mine.html", {"enquiries": enquiries})


def _thread(request, enquiry: Enquiry, *, template: str, author):
    """The enquirer's view of a thread: read it, add to it, ask to escalate a complaint."""
    follow_up = FollowUpForm(prefix="follow")
    escalation = EscalationRequestForm(prefix="escalate")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        form = None
        try:
            if action == "follow_up":
                form = follow_up = FollowUpForm(request.POST, prefix="follow")
                if form.is_valid():
                    services.enquiry_follow_up(
                        enquiry=enquiry, body=form.cleaned_data["message"], author=author
                    )
                    messages.success(request, _("Your message was added to the conversation."))
                    return redirect(request.path)
            elif action == "escalate":
                form = escalation = EscalationRequestForm(request.POST, prefix="escalate")
                if form.is_valid():
                    services.complaint_escalate(
                        enquiry=enquiry, reason=form.cleaned_data["reason"], actor=author
                    )
                    messages.success(request, _("Your complaint has been escalated."))
                    return redirect(request.path)
            else:
                raise services.SupportError(_("Choose what to do."))
        except services.SupportError as exc:
            if form is None:
                form = follow_up
            form.add_error(None, str(exc))
        status = 400
    return render(
        request,
        template,
        {
            "enquiry": enquiry,
            "thread": enquiry.messages.all(),
            "follow_up": follow_up,
            "escalation": escalation,
            "can_escalate": enquiry.is_complaint
            and enquiry.is_open
            and enquiry.escalated_at is None
            and enquiry.status == Enquiry.Status.ANSWERED,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def detail(request, reference: str):
    enquiry = selectors.enquiry_for_user(actor=request.user, reference=reference)
    return _thread(request, enquiry, template="support/detail.html", author=request.user)


@require_http_methods(["GET", "HEAD", "POST"])
def thread(request, token: str):
    enquiry = services.enquiry_from_thread_token(token)
    if enquiry is None:
        raise Http404(_("This link is not valid or has expired."))
    author = enquiry.user if enquiry.user_id else None
    return _thread(request, enquiry, template="support/detail.html", author=author)


# --- The staff desk ------------------------------------------------------------------------------


# Staff with the desk permission (and a two-factor session where required); others get a 404.
desk_required = staff_required(selectors.DESK_PERMISSION)


@desk_required
def desk_queue(request):
    status = request.GET.get("status") or None
    kind = request.GET.get("kind") or None
    queue = selectors.desk_queue(actor=request.user, status=status, kind=kind)
    return render(
        request,
        "support/desk/queue.html",
        {
            "queue": queue[:200],
            "counts": selectors.desk_counts(actor=request.user),
            "statuses": Enquiry.Status.choices,
            "kinds": Enquiry.Kind.choices,
            "status": status or "",
            "kind": kind or "",
        },
    )


_DESK_FORMS = {
    "reply": (ReplyForm, "reply"),
    "status": (StatusForm, "status"),
    "escalate": (EscalateForm, "escalate"),
    "final": (FinalResponseForm, "final"),
}


@desk_required
@require_http_methods(["GET", "HEAD", "POST"])
def desk_detail(request, pk: int):
    enquiry = selectors.desk_enquiry(actor=request.user, pk=pk)
    forms = {
        "reply": ReplyForm(prefix="reply"),
        "status": StatusForm(prefix="status", initial={"status": enquiry.status}),
        "escalate": EscalateForm(prefix="escalate"),
        "final": FinalResponseForm(prefix="final"),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        actor = request.user
        if action == "resend":
            message = enquiry.messages.filter(
                pk=request.POST.get("message") or 0, emailed_at__isnull=True
            ).first()
            if message is None:
                raise Http404
            sent = services.support_message_email(message=message)
            if sent:
                messages.success(request, _("Emailed."))
            else:
                messages.error(request, _("The email could not be sent. Try again later."))
            return redirect(request.path)
        if action not in _DESK_FORMS:
            raise Http404
        form_class, prefix = _DESK_FORMS[action]
        form = forms[action] = form_class(request.POST, prefix=prefix)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "reply":
                    message = services.enquiry_reply(
                        enquiry=enquiry, body=data["body"], actor=actor
                    )
                elif action == "status":
                    services.enquiry_set_status(enquiry=enquiry, status=data["status"], actor=actor)
                    message = None
                elif action == "escalate":
                    message = services.complaint_escalate(
                        enquiry=enquiry, reason=data["reason"], actor=actor
                    )
                else:
                    message = services.complaint_final_response(
                        enquiry=enquiry, body=data["body"], actor=actor
                    )
            except services.SupportError as exc:
                form.add_error(None, str(exc))
            else:
                if message is not None and message.emailed_at is None:
                    messages.warning(
                        request, _("Saved, but the email could not be sent. Use “Send again”.")
                    )
                else:
                    messages.success(request, _("Done."))
                return redirect(reverse("support:desk_detail", kwargs={"pk": enquiry.pk}))
        status = 400
    return render(
        request,
        "support/desk/detail.html",
        {"enquiry": enquiry, "thread": enquiry.messages.select_related("author"), **forms},
        status=status,
    )


@staff_required(TUTOR_PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def message_learner(request, slug: str, enrolment_id: int):
    """A tutor writes to one of their course's learners through the support desk."""
    enrolment = tutor_enrolment_get(actor=request.user, slug=slug, enrolment_id=enrolment_id)
    course, learner = enrolment.course, enrolment.user
    form = LearnerMessageForm(
        request.POST or None,
        initial={"subject": _("About your course: %(title)s") % {"title": course.title}},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.enquiry_start_for_learner(
                    actor=request.user,
                    user=learner,
                    course=course,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
            except services.SupportError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Message sent to %(name)s. Their reply will arrive in the support desk.")
                    % {"name": learner.display_name},
                )
                return redirect(
                    "learning:tutor_learner", slug=course.slug, enrolment_id=enrolment.pk
                )
        status = 400
    return render(
        request,
        "support/message_learner.html",
        {"form": form, "course": course, "enrolment": enrolment, "learner": learner},
        status=status,
    )
