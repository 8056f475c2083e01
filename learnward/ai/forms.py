"""Thin forms for the AI features."""

from django import forms
from django.utils.translation import gettext_lazy as _

from learnward.core.forms import AccessibleFormMixin

from .services import MAX_QUESTION_CHARS


class AskForm(AccessibleFormMixin, forms.Form):
    question = forms.CharField(
        label=_("Your question about this course"),
        max_length=MAX_QUESTION_CHARS,
        help_text=_(
            "Ask in your own words. Do not include personal details about you or anyone else."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_QUESTION_CHARS}),
        error_messages={
            "required": _("Type a question about the course."),
            "max_length": _("Keep your question under %(limit_value)s characters."),
        },
    )
    lesson = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_question(self) -> str:
        question = " ".join(self.cleaned_data["question"].split())
        if not question:
            raise forms.ValidationError(_("Type a question about the course."))
        return question


class OptInForm(AccessibleFormMixin, forms.Form):
    agree = forms.BooleanField(
        label=_(
            "I have read what is sent, to whom and for how long, and I want to turn on "
            "AI-assisted features"
        ),
        error_messages={"required": _("Tick the box to confirm you want to turn on AI features.")},
    )
    version = forms.CharField(widget=forms.HiddenInput, max_length=40)
