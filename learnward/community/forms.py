from django import forms
from django.utils.translation import gettext_lazy as _

from learnward.core.forms import AccessibleFormMixin, PersonNameField

BODY_HELP = _(
    "Markdown works: **bold**, *italic*, lists and links. Mention a member with @ and their "
    "handle, like @sam."
)


class ThreadForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give your thread a title.")},
    )
    body = forms.CharField(
        label=_("Your post"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=BODY_HELP,
        error_messages={"required": _("Write something to post.")},
    )


class ReplyForm(AccessibleFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=BODY_HELP,
        error_messages={"required": _("Write something to post.")},
    )


class EditForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Your post"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=BODY_HELP,
        error_messages={"required": _("Write something to post.")},
    )

    def __init__(self, *args, opening: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not opening:
            del self.fields["title"]
        else:
            self.fields["title"].required = True
            self.fields["title"].error_messages["required"] = _("Give your thread a title.")


class ProfileForm(AccessibleFormMixin, forms.Form):
    display_name = PersonNameField(
        subject=_("Your display name"),
        label=_("Display name"),
        max_length=80,
        help_text=_("Shown with your posts. Never your email address."),
        error_messages={"required": _("Enter a display name.")},
    )
    handle = forms.CharField(
        label=_("Handle"),
        max_length=30,
        help_text=_("Others mention you with @ and this: 3 to 30 letters, digits, - or _."),
        error_messages={"required": _("Enter a handle.")},
    )
    bio = forms.CharField(
        label=_("Short bio (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason: the member sees it.")},
    )


class ReportForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are you reporting this post?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A moderator reads this. The author is not told who reported it."),
        error_messages={"required": _("Say why you are reporting this post.")},
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search this space"), max_length=200, required=False)
