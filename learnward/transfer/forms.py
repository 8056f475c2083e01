from django import forms
from django.utils.translation import gettext_lazy

from learnward.catalog.models import Course
from learnward.core.forms import AccessibleFormMixin

TITLE_LENGTH = Course._meta.get_field("title").max_length


class ImportForm(AccessibleFormMixin, forms.Form):
    course_file = forms.FileField(
        label=gettext_lazy("Course file (.zip)"),
        help_text=gettext_lazy(
            "A file made by “Download the course file” on this or another Learnward site."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    title = forms.CharField(
        label=gettext_lazy("Title of the new course"),
        required=False,
        max_length=TITLE_LENGTH,
        help_text=gettext_lazy("Leave blank to keep the title in the file."),
    )
