"""The admin's view of assessments, for administrators; authors use the studio pages
(learnward.assessments.studio_views), which no author task needs the admin for."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Assessment, Choice, DrawRule, Question, QuestionCategory
from .selectors import assessment_problems


class DrawRuleInline(admin.TabularInline):
    model = DrawRule
    fields = ["category", "count"]
    extra = 1


@admin.register(QuestionCategory)
class QuestionCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "course", "position"]
    list_select_related = ["course"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "module", "time_limit_minutes", "ready"]
    list_select_related = ["course", "module"]
    search_fields = ["title", "course__title"]
    inlines = [DrawRuleInline]

    @admin.display(description=gettext_lazy("ready for learners"))
    def ready(self, obj: Assessment) -> str:
        problems = assessment_problems(assessment=obj)
        return _("Yes") if not problems else "; ".join(problems)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET":
            for problem in assessment_problems(assessment=obj):
                self.message_user(request, problem, level="warning")
        return super().change_view(request, object_id, form_url, extra_context)


class ChoiceFormSet(BaseInlineFormSet):
    """The choices must make sense for the question type before learners see them."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        correct = sum(1 for data in kept if data.get("is_correct"))
        kind = self.instance.kind
        if not self.instance.uses_choices:
            return  # the studio's question form checks the other kinds
        if kind == Question.Kind.TRUE_FALSE and len(kept) != 2:
            raise ValidationError(
                _("A true or false question has exactly two choices: True, False.")
            )
        if len(kept) < 2:
            raise ValidationError(_("Give at least two choices."))
        if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE) and correct != 1:
            raise ValidationError(_("Mark exactly one choice as correct."))
        if kind == Question.Kind.MULTIPLE and correct < 1:
            raise ValidationError(_("Mark at least one choice as correct."))


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    fields = ["position", "text", "match_text", "is_correct"]
    extra = 2
    ordering = ["position", "id"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "course", "category", "kind", "position", "points"]
    list_filter = ["kind", "course"]
    list_select_related = ["course", "category"]
    search_fields = ["text"]
    inlines = [ChoiceInline]
