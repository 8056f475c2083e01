"""Support forms: thin; writes happen in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from learnward.core.forms import AccessibleFormMixin, PersonNameField

from .models import Enquiry

_SUBJECT = {"required": _("Write a subject.")}
_MESSAGE = {"required": _("Write your message.")}


def _subject_field() -> forms.CharField:
    return forms.CharField(label=_("Subject"), max_length=150, error_messages=_SUBJECT)


def _message_field(label=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Your message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages=_MESSAGE,
    )


class ContactForm(AccessibleFormMixin, forms.Form):
    """For anyone, no account needed."""

    name = PersonNameField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name.")},
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We only use it to reply to you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address in the right format, like name@example.com."),
        },
    )
    subject = _subject_field()
    message = _message_field()
    # A field people never see; bots fill it in. Submissions with it are dropped quietly.
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class AccountMessageForm(AccessibleFormMixin, forms.Form):
    """For signed-in users: every kind of message, optionally about a course."""

    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=Enquiry.Kind.choices,
        initial=Enquiry.Kind.ENQUIRY,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of message this is.")},
    )
    course = forms.ModelChoiceField(
        label=_("About a course (optional)"),
        queryset=None,
        required=False,
        empty_label=_("Not about a particular course"),
        error_messages={"invalid_choice": _("Choose a course from the list.")},
    )
    subject = _subject_field()
    message = _message_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from learnward.catalog.models import Course

        self.fields["course"].queryset = Course.objects.filter(published=True).order_by("title")


class FollowUpForm(AccessibleFormMixin, forms.Form):
    message = _message_field(_("Add to this conversation"))


class EscalationRequestForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are you not satisfied?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tell us why you want the complaint escalated.")},
    )


class ReplyForm(AccessibleFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Reply (emailed to the enquirer)"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write your reply.")},
    )


class LearnerMessageForm(AccessibleFormMixin, forms.Form):
    subject = forms.CharField(
        label=_("Subject"),
        max_length=150,
        error_messages={"required": _("Write a subject.")},
    )
    body = forms.CharField(
        label=_("Message (emailed to the learner)"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write your message.")},
    )


class StatusForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Enquiry.Status.choices)


class EscalateForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for escalating (kept on file)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the complaint is being escalated.")},
    )


class FinalResponseForm(AccessibleFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Final response"),
        max_length=20000,
        help_text=_(
            "A paragraph about the right to complain to the supervisory authority is added at "
            "the end."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Write the final response.")},
    )
