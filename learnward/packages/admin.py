from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ContentPackage


class ContentPackageForm(forms.ModelForm):
    class Meta:
        model = ContentPackage
        fields = ["counts_as_assessment"]

    def clean_counts_as_assessment(self):
        from learnward.assessments.selectors import assessment_for_course

        value = self.cleaned_data["counts_as_assessment"]
        course = self.instance.lesson.module.course
        if value and assessment_for_course(course=course) is not None:
            raise forms.ValidationError(
                _(
                    "%(title)s has its own assessment, so the package cannot stand as its assessment as well."
                )
                % {"title": course.title}
            )
        return value


@admin.register(ContentPackage)
class ContentPackageAdmin(admin.ModelAdmin):
    """Package lessons: authors add them on /staff/packages/ (the zip is checked there); here
    they can say whether the package's pass is the course's assessment."""

    form = ContentPackageForm
    list_display = ["title", "lesson", "standard", "counts_as_assessment", "uploaded_at"]
    list_filter = ["standard", "counts_as_assessment"]
    fields = [
        "title",
        "lesson",
        "standard",
        "launch_path",
        "activity_id",
        "move_on",
        "checksum",
        "file_count",
        "total_size",
        "is_whole_course",
        "uploaded_by",
        "uploaded_at",
        "counts_as_assessment",
    ]
    readonly_fields = [f for f in fields if f != "counts_as_assessment"]

    def has_add_permission(self, request) -> bool:
        return False  # through the upload page, which checks the zip
