"""The exams demo: Sam Second's released exam result, in "My results", loaded once."""

from django.urls import reverse

from learnward.certificates.models import Certificate
from learnward.core.demo import load_demo
from learnward.exams.models import ExamResult, ExamSitting


def test_the_demo_learner_sees_a_released_result_and_holds_the_certificate(client, db):
    first = load_demo()
    counts = (ExamSitting.objects.count(), ExamResult.objects.count())
    load_demo()
    assert (ExamSitting.objects.count(), ExamResult.objects.count()) == counts == (1, 1)
    assert first["exams"][0]["sitting"] == "Practical assessment"
    result = ExamResult.objects.get()
    assert result.user.email == "learner2@learnward.test" and result.passed
    assert result.sitting.released()
    assert Certificate.objects.filter(
        user=result.user, course_title="Practical First Aid (classroom)"
    ).exists()
    client.force_login(result.user)
    page = client.get(reverse("exams:my_results")).content.decode()
    assert "78 out of 100" in page
    client.force_login(result.sitting.teachers.get())
    assert client.get(reverse("exams:sitting", args=[result.sitting.pk])).status_code == 200


def test_the_notice_names_teachers_as_recipients_of_exam_marks(db):
    from learnward.exams.selectors import teacher_recipients

    assert teacher_recipients() == []
    load_demo()
    assert teacher_recipients() == [
        "The teachers (including freelance teachers) who hold the exams you sit"
    ]
