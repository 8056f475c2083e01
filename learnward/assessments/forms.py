"""The studio's forms: a bank question of any type on one page (choices, accepted answers,
pairs, items and rubric typed one per line), and an assessment's settings with its draw."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnward.core.forms import AccessibleFormMixin

from .authoring import AssessmentSpec, QuestionSpec
from .models import Question, QuestionCategory

CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
PARTIAL_KINDS = (Question.Kind.MULTIPLE, Question.Kind.MATCHING, Question.Kind.ORDERING)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(AccessibleFormMixin, forms.Form):
    category = forms.ModelChoiceField(queryset=QuestionCategory.objects.none(), empty_label=None)
    text = forms.CharField(label=gettext_lazy("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    points = forms.IntegerField(min_value=1, max_value=100, initial=1)
    choices = forms.CharField(
        label=gettext_lazy("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "One per line. Start each right answer with a * (for example: * Seven years)."
        ),
    )
    true_false = forms.TypedChoiceField(
        label=gettext_lazy("The statement is"),
        choices=[("true", gettext_lazy("True")), ("false", gettext_lazy("False"))],
        widget=forms.RadioSelect,
        required=False,
    )
    accepted = forms.CharField(
        label=gettext_lazy("Accepted answers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line. Any of them is right."),
    )
    match = forms.ChoiceField(
        label=gettext_lazy("Compare answers"),
        choices=Question.Match.choices,
        initial="case_insensitive",
    )
    numeric_answer = forms.DecimalField(
        label=gettext_lazy("Right answer"), required=False, max_digits=14, decimal_places=6
    )
    numeric_tolerance = forms.DecimalField(
        label=gettext_lazy("Tolerance"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=6,
        help_text=gettext_lazy(
            "Answers this far either side of the right answer are right too (0 for exact)."
        ),
    )
    pairs = forms.CharField(
        label=gettext_lazy("Pairs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One per line, item = match (for example: Name = Personal data)."),
    )
    items = forms.CharField(
        label=gettext_lazy("Items in the right order"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One per line, first to last. Learners see them shuffled."),
    )
    rubric = forms.CharField(
        label=gettext_lazy("Rubric"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One criterion per line, criterion = marks (for example: Names the risk = 4). "
            "The question is worth the total."
        ),
    )
    partial_credit = forms.BooleanField(
        label=gettext_lazy("Give part of the points for a partly right answer"), required=False
    )
    explanation = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown with the result: why the right answer is right."),
    )

    def __init__(self, *args, course, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["category"].queryset = QuestionCategory.objects.filter(course=course)
        own = {
            Question.Kind.SINGLE: ["choices"],
            Question.Kind.MULTIPLE: ["choices", "partial_credit"],
            Question.Kind.TRUE_FALSE: ["true_false"],
            Question.Kind.SHORT: ["accepted", "match"],
            Question.Kind.NUMERIC: ["numeric_answer", "numeric_tolerance"],
            Question.Kind.MATCHING: ["pairs", "partial_credit"],
            Question.Kind.ORDERING: ["items", "partial_credit"],
            Question.Kind.ESSAY: ["rubric"],
        }[kind]
        keep = {"category", "text", "points", "explanation", *own}
        if kind == Question.Kind.ESSAY:
            keep.discard("points")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        # The explanation comes last, after the answers.
        self.order_fields([n for n in self.fields if n != "explanation"] + ["explanation"])

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        choices = list(question.choices.all())
        initial = {
            "category": question.category_id,
            "text": question.text,
            "points": question.points,
            "explanation": question.explanation,
            "partial_credit": question.partial_credit,
            "match": question.match,
            "numeric_answer": question.numeric_answer,
            "numeric_tolerance": question.numeric_tolerance,
            "choices": "\n".join(f"{'* ' if c.is_correct else ''}{c.text}" for c in choices),
            "accepted": "\n".join(c.text for c in choices),
            "pairs": "\n".join(f"{c.text} = {c.match_text}" for c in choices),
            "items": "\n".join(c.text for c in choices),
            "rubric": "\n".join(f"{c.text} = {c.max_marks}" for c in question.criteria.all()),
            "true_false": next(
                ("true" if c.text == "True" else "false" for c in choices if c.is_correct), ""
            ),
        }
        return initial

    def _require(self, name: str, message: str) -> None:
        self.add_error(name, message)

    def clean(self):
        data = super().clean()
        kind = self.kind
        choices: list[tuple[str, str, bool]] = []
        criteria: list[tuple[str, int]] = []
        if kind in CHOICE_KINDS:
            lines = _lines(data.get("choices"))
            choices = [(ln.lstrip("*").strip(), "", ln.startswith("*")) for ln in lines]
            right = sum(1 for c in choices if c[2])
            if len(choices) < 2:
                self._require("choices", _("Give at least two choices, one per line."))
            elif kind == Question.Kind.SINGLE and right != 1:
                self._require("choices", _("Mark exactly one choice as right, with a * in front."))
            elif right < 1:
                self._require("choices", _("Mark at least one choice as right, with a * in front."))
        elif kind == Question.Kind.TRUE_FALSE:
            if data.get("true_false") not in ("true", "false"):
                self._require("true_false", _("Say whether the statement is true or false."))
            else:
                truth = data["true_false"] == "true"
                choices = [("True", "", truth), ("False", "", not truth)]
        elif kind == Question.Kind.SHORT:
            choices = [(a, "", True) for a in _lines(data.get("accepted"))]
            if not choices:
                self._require("accepted", _("Give at least one accepted answer."))
        elif kind == Question.Kind.NUMERIC:
            if data.get("numeric_answer") is None:
                self._require("numeric_answer", _("Give the right answer, as a number."))
        elif kind == Question.Kind.MATCHING:
            for line in _lines(data.get("pairs")):
                item, sep, match = line.partition("=")
                if not sep or not item.strip() or not match.strip():
                    self._require("pairs", _("Write “%(line)s” as item = match.") % {"line": line})
                    break
                choices.append((item.strip(), match.strip(), True))
            else:
                if len(choices) < 2:
                    self._require("pairs", _("Give at least two pairs, one per line."))
        elif kind == Question.Kind.ORDERING:
            choices = [(item, "", True) for item in _lines(data.get("items"))]
            if len(choices) < 2:
                self._require("items", _("Give at least two items, one per line."))
        elif kind == Question.Kind.ESSAY:
            for line in _lines(data.get("rubric")):
                text, sep, marks = line.rpartition("=")
                try:
                    value = int(marks.strip())
                except ValueError:
                    value = 0
                if not sep or not text.strip() or not 1 <= value <= 100:
                    self._require(
                        "rubric",
                        _("Write “%(line)s” as criterion = marks (1 to 100 marks).")
                        % {"line": line},
                    )
                    break
                criteria.append((text.strip(), value))
            else:
                if not criteria:
                    self._require("rubric", _("Give at least one criterion, with its marks."))
        if any(len(c[0]) > 500 or len(c[1]) > 500 for c in choices):
            self.add_error(None, _("Keep each choice, answer, item or match under 500 characters."))
        data["parts"] = (choices, criteria)
        return data

    def spec(self) -> QuestionSpec:
        data = self.cleaned_data
        choices, criteria = data["parts"]
        return QuestionSpec(
            kind=self.kind,
            category=data["category"],
            text=data["text"].strip(),
            explanation=data.get("explanation", "").strip(),
            points=data.get("points") or 1,
            partial_credit=bool(data.get("partial_credit")) and self.kind in PARTIAL_KINDS,
            match=data.get("match") or Question.Match.CASE_INSENSITIVE,
            numeric_answer=data.get("numeric_answer")
            if self.kind == Question.Kind.NUMERIC
            else None,
            numeric_tolerance=(data.get("numeric_tolerance") or Decimal(0))
            if self.kind == Question.Kind.NUMERIC
            else Decimal(0),
            choices=choices,
            criteria=criteria,
        )


class AssessmentForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(max_length=200)
    instructions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Markdown, shown before the questions."),
    )
    time_limit_minutes = forms.IntegerField(
        label=gettext_lazy("Time limit (minutes)"),
        required=False,
        min_value=1,
        max_value=1440,
        help_text=gettext_lazy("Leave blank for no time limit."),
    )
    shuffle_questions = forms.BooleanField(
        label=gettext_lazy("Shuffle the order of questions for each attempt"), required=False
    )
    shuffle_choices = forms.BooleanField(
        label=gettext_lazy("Shuffle the order of choices for each attempt"), required=False
    )
    second_marking = forms.BooleanField(
        label=gettext_lazy(
            "Second marking: a second tutor moderates each essay mark before results are released"
        ),
        required=False,
    )

    def __init__(self, *args, categories, formative: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        for category in categories:
            self.fields[f"draw-{category.pk}"] = forms.IntegerField(
                label=_("%(category)s (of %(count)s in use)")
                % {"category": category.name, "count": category.in_use},
                min_value=0,
                max_value=500,
                initial=0,
                required=False,
            )
        if formative:
            del self.fields["time_limit_minutes"]
            del self.fields["second_marking"]

    def draw_fields(self):
        return [self[f"draw-{c.pk}"] for c in self.categories]

    def spec(self) -> AssessmentSpec:
        data = self.cleaned_data
        return AssessmentSpec(
            title=data["title"].strip(),
            instructions=data.get("instructions", ""),
            time_limit_minutes=data.get("time_limit_minutes"),
            shuffle_questions=data.get("shuffle_questions", False),
            shuffle_choices=data.get("shuffle_choices", False),
            second_marking=data.get("second_marking", False),
            draw={c.pk: data.get(f"draw-{c.pk}") or 0 for c in self.categories},
        )


class MarkingForm(AccessibleFormMixin, forms.Form):
    feedback = forms.CharField(
        label=gettext_lazy("Feedback for the learner"), widget=forms.Textarea(attrs={"rows": 6})
    )
