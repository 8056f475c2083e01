from django import forms
from django.utils.translation import gettext_lazy

from learnward.core.forms import AccessibleFormMixin

PEOPLE_HELP = gettext_lazy(
    "Tick this if anyone could be recognised in it. You need their permission; the privacy "
    "notice then tells people that our courses show people, and how to ask for removal."
)


class _PeopleMixin(forms.Form):
    shows_people = forms.BooleanField(
        label=gettext_lazy("It shows people who could be recognised"),
        required=False,
        help_text=PEOPLE_HELP,
    )
    people_permission = forms.BooleanField(
        label=gettext_lazy("I have the permission of everyone who can be recognised in it"),
        required=False,
    )


class UploadForm(AccessibleFormMixin, _PeopleMixin):
    kind = forms.ChoiceField(
        label=gettext_lazy("What are you uploading?"),
        choices=[
            ("image", gettext_lazy("An image (JPEG, PNG, WebP or GIF)")),
            ("video", gettext_lazy("A video (MP4 or WebM)")),
            ("file", gettext_lazy("A file to download (PDF, Word, PowerPoint or Excel)")),
        ],
        widget=forms.RadioSelect,
        initial="image",
    )
    upload = forms.FileField(label=gettext_lazy("File"))
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Leave empty to use the file name."),
    )
    alt_text = forms.CharField(
        label=gettext_lazy("Alt text (images)"),
        max_length=500,
        required=False,
        help_text=gettext_lazy(
            "What the image shows, for people who cannot see it. Needed before a lesson "
            "using it can be published."
        ),
    )
    captions = forms.FileField(
        label=gettext_lazy("Captions (videos)"),
        required=False,
        help_text=gettext_lazy(
            "A WebVTT (.vtt) file. Needed before a lesson using the video can be published."
        ),
    )
    transcript = forms.CharField(
        label=gettext_lazy("Transcript (videos)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Shown beside the video for people who prefer to read it."),
    )

    field_order = [
        "kind",
        "upload",
        "title",
        "alt_text",
        "captions",
        "transcript",
        "shows_people",
        "people_permission",
    ]


class EmbedForm(AccessibleFormMixin, _PeopleMixin):
    url = forms.CharField(
        label=gettext_lazy("Video address"),
        max_length=500,
        help_text=gettext_lazy(
            "The address of the video's page on YouTube or Vimeo (or its embed address)."
        ),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    transcript = forms.CharField(
        label=gettext_lazy("Transcript"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    field_order = ["url", "title", "transcript", "shows_people", "people_permission"]


class DetailsForm(AccessibleFormMixin, _PeopleMixin):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    alt_text = forms.CharField(
        label=gettext_lazy("Alt text"),
        max_length=500,
        required=False,
        help_text=gettext_lazy(
            "What the image shows, for people who cannot see it. Leave empty only if the "
            "image is purely decorative (then it cannot be published in a lesson)."
        ),
    )
    transcript = forms.CharField(
        label=gettext_lazy("Transcript"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    field_order = ["title", "alt_text", "transcript", "shows_people", "people_permission"]

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if kind != "image":
            del self.fields["alt_text"]
        if kind not in ("video", "embed"):
            del self.fields["transcript"]


class CaptionsForm(AccessibleFormMixin, forms.Form):
    captions = forms.FileField(label=gettext_lazy("Caption file (WebVTT, .vtt)"))


class ReplaceForm(AccessibleFormMixin, forms.Form):
    upload = forms.FileField(label=gettext_lazy("New file"))


class ReplaceEmbedForm(AccessibleFormMixin, forms.Form):
    url = forms.CharField(label=gettext_lazy("New video address"), max_length=500)
