"""Existing questions move into their course's bank: one category per course ("Questions"),
and the assessment draws all of them, in their old order, unshuffled: exactly what learners saw
before. Every existing attempt gets its draw (the questions and choices in that order), so a
result page or an open attempt shows the same questions as before."""

from django.db import migrations


def forwards(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    Question = apps.get_model("assessments", "Question")
    Choice = apps.get_model("assessments", "Choice")
    QuestionCategory = apps.get_model("assessments", "QuestionCategory")
    DrawRule = apps.get_model("assessments", "DrawRule")
    Attempt = apps.get_model("assessments", "Attempt")
    for assessment in Assessment.objects.all():
        questions = list(Question.objects.filter(assessment=assessment).order_by("position", "id"))
        if not questions:
            continue
        category, _ = QuestionCategory.objects.get_or_create(
            course_id=assessment.course_id, name="Questions", defaults={"position": 0}
        )
        for question in questions:
            question.course_id = assessment.course_id
            question.category = category
            question.save(update_fields=["course", "category"])
        DrawRule.objects.create(assessment=assessment, category=category, count=len(questions))
        draw = [
            {
                "question": q.pk,
                "choices": list(
                    Choice.objects.filter(question=q)
                    .order_by("position", "id")
                    .values_list("pk", flat=True)
                ),
            }
            for q in questions
        ]
        Attempt.objects.filter(assessment=assessment).update(draw=draw)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_question_bank")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
