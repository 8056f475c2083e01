"""Course authoring in the admin: a course with its modules inline, a module with its lessons."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AwardingBody, Course, Lesson, Module


@admin.register(AwardingBody)
class AwardingBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "website"]
    search_fields = ["name"]


class ModuleInline(admin.TabularInline):
    model = Module
    fields = ["position", "title"]
    extra = 1
    show_change_link = True
    ordering = ["position", "id"]


class CourseAdminForm(forms.ModelForm):
    """Checks the renewal route: it must be something a holder of the certificate can take."""

    class Meta:
        model = Course
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown

    def clean(self):
        cleaned = super().clean()
        route = cleaned.get("renewal_course")
        if route is None:
            return cleaned
        if not cleaned.get("certificate_validity_months"):
            self.add_error(
                "renewal_course",
                _(
                    "This course's certificates never expire, so they need no renewal course: "
                    "set how many months they are valid for, or leave the renewal course blank."
                ),
            )
        renews_itself = self.instance.pk is not None and route.pk == self.instance.pk
        route_published = cleaned.get("published") if renews_itself else route.published
        if cleaned.get("published") and not route_published:
            # Holders would be told their certificate cannot be renewed online.
            self.add_error(
                "renewal_course",
                _(
                    "“%(course)s” is not published, so learners could not take it to renew. "
                    "Publish it first, or leave the renewal course blank until it is."
                )
                % {"course": route.title},
            )
        return cleaned


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    form = CourseAdminForm
    list_display = ["title", "published", "language", "course_type", "cpd_hours", "awarding_body"]
    list_filter = ["published", "language", "course_type", "awarding_body"]

    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["tutors"]
    autocomplete_fields = ["renewal_course"]
    inlines = [ModuleInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "summary",
                    "description",
                    "language",
                    "course_type",
                    "published",
                ]
            },
        ),
        (
            gettext_lazy("Assessment and certificate"),
            {
                "fields": [
                    "cpd_hours",
                    "pass_mark",
                    "max_attempts",
                    "certificate_validity_months",
                    "renewal_course",
                    "certificate_layout",
                    "accreditation_number",
                    "entry_requirements",
                ],
                "description": gettext_lazy(
                    "The renewal course is how learners renew a certificate that expires: a "
                    "shorter refresher, or this course itself (choose it once the course is "
                    "saved). Completing it issues a new certificate linked to the old one. The "
                    "layout, the awarding body and the accreditation number are printed on "
                    "certificates issued from now on; certificates already issued keep theirs."
                ),
            },
        ),
        (
            gettext_lazy("Awarding body registration"),
            {
                "description": gettext_lazy(
                    "Ask learners only for what the awarding body needs. Ethnicity and "
                    "disability are special category data: learners give them only with "
                    "explicit consent."
                ),
                "fields": [
                    "awarding_body",
                    "date_of_birth_requirement",
                    "home_postcode_requirement",
                    "gender_requirement",
                    "ethnicity_requirement",
                    "disability_requirement",
                ],
            },
        ),
        (gettext_lazy("Tutors"), {"fields": ["tutors", "tutors_see_registration"]}),
    ]


class LessonInline(admin.StackedInline):
    model = Lesson
    fields = ["position", "title", "estimated_minutes", "body_markdown"]
    extra = 1
    show_change_link = True
    ordering = ["position", "id"]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "position"]
    list_filter = ["course"]
    search_fields = ["title", "course__title"]
    list_select_related = ["course"]
    inlines = [LessonInline]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "module", "position"]
    list_filter = ["module__course"]
    search_fields = ["title", "body_markdown"]
    list_select_related = ["module"]
