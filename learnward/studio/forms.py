from __future__ import annotations

from decimal import Decimal

from django import forms

from learnward.accounts.models import User
from learnward.accounts.roles import TUTOR
from learnward.catalog.models import AwardingBody, Course, MediaItem
from learnward.core.forms import AccessibleFormMixin


class NewCourseForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(max_length=200, label="Course title")
    summary = forms.CharField(
        max_length=300,
        label="Summary",
        help_text="One or two sentences for the catalog. You can change it later.",
    )
    cpd_hours = forms.DecimalField(
        label="CPD hours", min_value=Decimal("0"), max_digits=5, decimal_places=1, initial=1
    )


class TutorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.display_name or obj.email
        return f"{name} ({obj.email})" if obj.display_name else name


class CourseSettingsForm(AccessibleFormMixin, forms.ModelForm):
    tutors = TutorChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Staff with the Tutor role who follow this course's learners and mark essays.",
    )

    class Meta:
        model = Course
        fields = [
            "title",
            "summary",
            "description",
            "image",
            "cpd_hours",
            "pass_mark",
            "max_attempts",
            "certificate_validity_months",
            "renewal_course",
            "tutors",
            "awarding_body",
            "certificate_layout",
            "accreditation_number",
        ]
        labels = {
            "description": "Description",
            "image": "Course image",
            "pass_mark": "Pass mark (%)",
            "max_attempts": "Assessment attempts allowed",
            "certificate_validity_months": "Certificate valid for (months)",
            "renewal_course": "Renewal route",
            "awarding_body": "Awarding body",
            "certificate_layout": "Certificate layout",
            "accreditation_number": "Accreditation number",
        }
        help_texts = {
            "description": "Shown on the course page. Markdown.",
            "image": "An image from this course's media library.",
            "renewal_course": "How learners renew a certificate that expires: a shorter "
            "refresher, or this course itself.",
            "certificate_validity_months": "Leave empty if certificates never expire.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        course = self.instance
        self.fields["image"].queryset = MediaItem.objects.filter(
            course=course, kind=MediaItem.Kind.IMAGE
        ).order_by("title")
        self.fields["image"].empty_label = "No image"
        self.fields["renewal_course"].queryset = Course.objects.order_by("title")
        self.fields["renewal_course"].empty_label = "Not renewed"
        self.fields["awarding_body"].queryset = AwardingBody.objects.order_by("name")
        self.fields["awarding_body"].empty_label = "None"
        self.fields["tutors"].queryset = (
            User.objects.filter(groups__name=TUTOR, status=User.Status.ACTIVE)
            .order_by("display_name", "email")
            .distinct()
        )
        self.fields["summary"].widget = forms.Textarea(attrs={"rows": 2, "maxlength": 300})

    def clean(self):
        """The renewal route must be something a holder of the certificate can take (the same
        rules as the admin's course form)."""
        cleaned = super().clean()
        route = cleaned.get("renewal_course")
        if route is None:
            return cleaned
        if not cleaned.get("certificate_validity_months"):
            self.add_error(
                "renewal_course",
                "This course's certificates never expire, so they need no renewal route: set "
                "how many months they are valid for, or choose “Not renewed”.",
            )
        elif self.instance.published and route.pk != self.instance.pk and not route.published:
            self.add_error(
                "renewal_course",
                f"“{route.title}” is not published, so learners could not take it to renew. "
                "Publish it first, or choose “Not renewed” until it is.",
            )
        return cleaned


class LessonForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(max_length=200, label="Lesson title")
    estimated_minutes = forms.IntegerField(
        label="Minutes to study", required=False, min_value=1, max_value=600
    )
    body_markdown = forms.CharField(
        label="Lesson text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "true"}),
        help_text="Markdown: ## for a heading, **bold**, *italic*, - for a list item.",
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)
