import pytest

from learnward.assessments.models import Attempt, Choice, Question
from learnward.assessments.selectors import assessment_problems
from learnward.catalog.models import Course, Lesson, Module
from learnward.core.demo import load_demo
from learnward.learning.models import ActivityEvent, Completion, Enrolment
from learnward.learning.selectors import dashboard_for

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.count()
        for m in (Course, Module, Lesson, Question, Choice, Enrolment, Completion, Attempt)
    ] + [ActivityEvent.objects.filter(kind="completed").count()]


def test_demo_loads_three_substantial_courses_and_a_learner_journey_idempotently():
    result = load_demo()
    slugs = {c["slug"] for c in result["courses"]}
    assert {
        "gdpr-essentials-for-training-providers",
        "safeguarding-basics",
        "manual-handling",
    } <= slugs
    for entry in result["courses"]:
        assert entry["title"] and entry["url"].endswith(f"/courses/{entry['slug']}/")
        course = Course.objects.get(slug=entry["slug"])
        assert course.published
        assert course.modules.count() >= 2
        lessons = Lesson.objects.filter(module__course=course)
        assert lessons.count() >= 4
        for lesson in lessons:
            assert lesson.body_markdown.count("\n\n") >= 2, lesson.title  # a few paragraphs
            assert len(lesson.body_markdown) > 800, lesson.title
        assert 5 <= course.assessment.questions.count() <= 10
        assert assessment_problems(assessment=course.assessment) == []
    kinds = set(Question.objects.values_list("kind", flat=True))
    assert kinds == {"single", "multiple", "true_false"}
    assert Course.objects.get(slug="manual-handling").needs_registration

    from learnward.accounts.models import User

    learner = User.objects.get(email="learner@learnward.test")
    dashboard = dashboard_for(user=learner)
    assert [e.course.slug for e in dashboard.completed] == [
        "gdpr-essentials-for-training-providers"
    ]
    assert [e.course.slug for e in dashboard.in_progress] == ["safeguarding-basics"]
    assert 0 < dashboard.in_progress[0].progress.completed < dashboard.in_progress[0].progress.total
    if "certificates" in result:
        titles = [c["course_title"] for c in result["certificates"]]
        assert "GDPR essentials for training providers" in titles

    before = _counts()
    again = load_demo()
    assert _counts() == before
    assert [c["slug"] for c in again["courses"]] == [c["slug"] for c in result["courses"]]
