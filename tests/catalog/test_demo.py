import pytest

from learnward.accounts.models import User
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
    # The short courses taught in Dutch and French (the catalog's language filter).
    languages = dict(Course.objects.filter(slug__in=slugs).values_list("slug", "language"))
    assert languages["avg-voor-opleidingsaanbieders"] == "nl"
    assert languages["rgpd-pour-les-organismes-de-formation"] == "fr"
    assert languages["gdpr-essentials-for-training-providers"] == "en-gb"
    for entry in result["courses"]:
        assert entry["title"] and entry["url"].endswith(f"/courses/{entry['slug']}/")
        course = Course.objects.get(slug=entry["slug"])
        if course.language != "en-gb":
            assert course.published and course.modules.count() == 1
            continue
        assert course.published
        assert course.modules.count() >= 2
        lessons = Lesson.objects.filter(module__course=course)
        assert lessons.count() >= 4
        for lesson in lessons:
            assert lesson.body_markdown.count("\n\n") >= 2, lesson.title  # a few paragraphs
            assert len(lesson.body_markdown) > 800, lesson.title
        key_facts = Question.objects.filter(course=course, category__name="Key facts")
        assert 5 <= key_facts.count() <= 10
        assert assessment_problems(assessment=course.assessment) == []
    kinds = set(Question.objects.values_list("kind", flat=True))
    assert kinds == {c.value for c in Question.Kind}
    # The Safeguarding bank has every type; the demo learner's attempt waits for the tutor.
    from learnward.assessments.models import Attempt
    from learnward.assessments.selectors import marking_queue
    from learnward.core.access import staff_powers

    pending = Attempt.objects.get(user__email="learner@learnward.test", marking_pending=True)
    assert pending.assessment.course.slug == "safeguarding-basics"
    tutor = User.objects.get(email="tutor@learnward.test")
    if staff_powers(tutor, "assessments.mark_essays"):
        assert [i["answer"].attempt_id for i in marking_queue(actor=tutor)] == [pending.pk]
    assert Course.objects.get(slug="manual-handling").needs_registration

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
