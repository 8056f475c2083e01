from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from learnward.accounts.models import User
from learnward.accounts.roles import TUTOR
from learnward.catalog.models import AwardingBody, Course, MediaItem
from learnward.core.forms import AccessibleFormMixin


class NewCourseForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("Course title"))
    summary = forms.CharField(
        max_length=300,
        label=gettext_lazy("Summary"),
        help_text=gettext_lazy("One or two sentences for the catalog. You can change it later."),
    )
    cpd_hours = forms.DecimalField(
        label=gettext_lazy("CPD hours"),
        min_value=Decimal("0"),
        max_digits=5,
        decimal_places=1,
        initial=1,
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
        label=gettext_lazy("Tutors"),
        help_text=gettext_lazy(
            "Staff with the Tutor role who follow this course's learners and mark essays."
        ),
    )

    class Meta:
        model = Course
        fields = [
            "title",
            "summary",
            "language",
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
            "title": gettext_lazy("Title"),
            "summary": gettext_lazy("Summary"),
            "cpd_hours": gettext_lazy("CPD hours"),
            "language": gettext_lazy("Language the course is taught in"),
            "description": gettext_lazy("Description"),
            "image": gettext_lazy("Course image"),
            "pass_mark": gettext_lazy("Pass mark (%)"),
            "max_attempts": gettext_lazy("Assessment attempts allowed"),
            "certificate_validity_months": gettext_lazy("Certificate valid for (months)"),
            "renewal_course": gettext_lazy("Renewal route"),
            "awarding_body": gettext_lazy("Awarding body"),
            "certificate_layout": gettext_lazy("Certificate layout"),
            "accreditation_number": gettext_lazy("Accreditation number"),
        }
        help_texts = {
            "language": gettext_lazy(
                "Its lessons are written in this language. Learners can filter the catalog by it."
            ),
            "description": gettext_lazy("Shown on the course page. Markdown."),
            "image": gettext_lazy("An image from this course's media library."),
            "renewal_course": gettext_lazy(
                "How learners renew a certificate that expires: a shorter "
                "refresher, or this course itself."
            ),
            "certificate_validity_months": gettext_lazy(
                "Leave empty if certificates never expire."
            ),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        course = self.instance
        self.fields["image"].queryset = MediaItem.objects.filter(
            course=course, kind=MediaItem.Kind.IMAGE
        ).order_by("title")
        self.fields["image"].empty_label = _("No image")
        self.fields["renewal_course"].queryset = Course.objects.order_by("title")
        self.fields["renewal_course"].empty_label = _("Not renewed")
        self.fields["awarding_body"].queryset = AwardingBody.objects.order_by("name")
        self.fields["awarding_body"].empty_label = pgettext("awarding body", "None")
        self.fields["tutors"].queryset = (
            User.objects.filter(groups__name=TUTOR, status=User.Status.ACTIVE)
            .order_by("display_name", "email")
            .distinct()
        )
        self.fields["summary"].widget = forms.Textarea(attrs={"rows": 2, "maxlength": 300})
        # A form sent without it (an older page) keeps the course's language.
        self.fields["language"].required = False

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or self.instance.language

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
                _(
                    "This course's certificates never expire, so they need no renewal route: set "
                    "how many months they are valid for, or choose “Not renewed”."
                ),
            )
        elif self.instance.published and route.pk != self.instance.pk and not route.published:
            self.add_error(
                "renewal_course",
                _(
                    "“%(title)s” is not published, so learners could not take it to renew. "
                    "Publish it first, or choose “Not renewed” until it is."
                )
                % {"title": route.title},
            )
        return cleaned


class LessonForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("Lesson title"))
    estimated_minutes = forms.IntegerField(
        label=gettext_lazy("Minutes to study"), required=False, min_value=1, max_value=600
    )
    body_markdown = forms.CharField(
        label=gettext_lazy("Lesson text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "true"}),
        help_text=gettext_lazy(
            "Markdown: ## for a heading, **bold**, *italic*, - for a list item."
        ),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)
