from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from learnward.catalog.models import Module
from learnward.core.forms import AccessibleFormMixin

from .importer import MB

NEW_COURSE = "new"


class UploadForm(AccessibleFormMixin, forms.Form):
    package = forms.FileField(
        label=_("Package (a .zip file)"),
        help_text=_("A SCORM 1.2, SCORM 2004 or cmi5 package, as your authoring tool exports it."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    destination = forms.ChoiceField(
        label=_("Where the lesson goes"),
        help_text=_(
            "At the end of a module, or as the one lesson of a new course (unpublished "
            "until you publish it)."
        ),
    )
    title = forms.CharField(
        label=_("Lesson title"),
        required=False,
        max_length=200,
        help_text=_("Leave blank to use the package's own title."),
    )
    counts_as_assessment = forms.BooleanField(
        label=_("The package's pass is the course's assessment"),
        required=False,
        help_text=_(
            "The course completes only when the learner passes the package. Not for a "
            "course that has its own assessment."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        for module in Module.objects.select_related("course").order_by(
            "course__title", "position", "id"
        ):
            groups.setdefault(module.course.title, []).append((str(module.pk), module.title))
        self.fields["destination"].choices = [
            (NEW_COURSE, _("A new course made from this package")),
            *[(course, modules) for course, modules in groups.items()],
        ]

    def clean_package(self):
        upload = self.cleaned_data["package"]
        if upload.size > settings.PACKAGES_MAX_UPLOAD_MB * MB:
            raise forms.ValidationError(
                _("The file is larger than %(packages_max_upload_mb)s MB: that is the limit.")
                % {"packages_max_upload_mb": settings.PACKAGES_MAX_UPLOAD_MB}
            )
        return upload

    def clean(self):
        data = super().clean()
        destination = data.get("destination")
        data["module"] = None
        if destination and destination != NEW_COURSE:
            data["module"] = Module.objects.select_related("course").get(pk=int(destination))
        return data
