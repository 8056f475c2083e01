"""Communication preferences (account page) and unsubscribing (email link, no login)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from learnward.privacy.consent.services import consent_history

from .email import UnsubscribeLinkExpired, read_unsubscribe_token
from .services import (
    PreferenceError,
    communication_preference_set,
    marketing_unsubscribe,
    topic_states,
)
from .topics import MARKETING_PURPOSE, TOPIC_DESCRIPTIONS, Topic, consent_text, topic_label


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    user = request.user
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "stop_all":
                for topic, on in topic_states(user=user).items():
                    if on:
                        communication_preference_set(user=user, topic=topic, enabled=False)
                messages.success(request, _("You will get no marketing emails from us."))
                return redirect("communications:preferences")
            if action not in {"on", "off"}:
                raise PreferenceError(_("Choose whether to turn the topic on or off."))
            topic = request.POST.get("topic", "")
            communication_preference_set(user=user, topic=topic, enabled=action == "on")
            if action == "on":
                done = _("%(topic)s: we will email you about this.")
            else:
                done = _("%(topic)s: turned off.")
            messages.success(request, done % {"topic": topic_label(topic)})
            return redirect("communications:preferences")
        except PreferenceError as exc:
            messages.error(request, str(exc))
            status = 400
    states = topic_states(user=user)
    topics = [
        {
            "key": topic.value,
            "label": topic.label,
            "description": TOPIC_DESCRIPTIONS[topic],
            "on": states[topic.value],
            "text": consent_text(topic),
        }
        for topic in Topic
    ]
    history = [
        {"record": record, "topic_label": topic_label(record.topic)}
        for record in consent_history(actor=user, user=user).filter(purpose=MARKETING_PURPOSE)[:50]
    ]
    return render(
        request,
        "communications/preferences.html",
        {"topics": topics, "any_on": any(states.values()), "history": history},
        status=status,
    )


def _token_user(token: str):
    parsed = read_unsubscribe_token(token)
    if parsed is None:
        raise Http404(_("This unsubscribe link is not valid."))
    user_id, topic = parsed
    if topic not in Topic.values:
        raise Http404(_("This unsubscribe link is not valid."))
    user = get_user_model().objects.filter(pk=user_id).first()
    return user, topic


@csrf_exempt  # RFC 8058: mail clients POST without cookies; the signed token is the proof.
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    try:
        user, topic = _token_user(token)
    except UnsubscribeLinkExpired:
        # 410 Gone: the link was ours but is older than LEARNWARD_UNSUBSCRIBE_LINK_DAYS. Nothing
        # changes; the page says where to choose instead (signing in), for GET and one-click POST.
        return render(
            request,
            "communications/unsubscribe_expired.html",
            {"days": settings.UNSUBSCRIBE_LINK_DAYS, "provider_email": settings.PROVIDER_EMAIL},
            status=410,
        )
    if request.method == "POST":
        everything = request.POST.get("scope") == "all"
        if user is not None:
            marketing_unsubscribe(user=user, topics=Topic.values if everything else [topic])
        return render(
            request,
            "communications/unsubscribed.html",
            {"topic_label": topic_label(topic), "everything": everything},
        )
    return render(
        request,
        "communications/unsubscribe.html",
        {"topic_label": topic_label(topic), "known": user is not None},
    )
