"""Course authoring in the admin: a course with its modules inline, a module with its lessons."""

from django.contrib import admin

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


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "published", "course_type", "cpd_hours", "awarding_body"]
    list_filter = ["published", "course_type", "awarding_body"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["tutors"]
    inlines = [ModuleInline]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "summary", "description", "course_type", "published"]},
        ),
        (
            "Assessment and certificate",
            {
                "fields": [
                    "cpd_hours",
                    "pass_mark",
                    "max_attempts",
                    "certificate_validity_months",
                    "entry_requirements",
                ]
            },
        ),
        (
            "Awarding body registration",
            {
                "description": "Ask learners only for what the awarding body needs. Ethnicity "
                "and disability are special category data: learners give them only with "
                "explicit consent.",
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
        ("Tutors", {"fields": ["tutors", "tutors_see_registration"]}),
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
