"""Lesson passages and the full-text index (FTS5 on SQLite, tsvector + GIN on PostgreSQL)."""

import pytest
from django.db import connection

from learnward.ai.chunking import MAX_WORDS, chunk_markdown, plain_text
from learnward.ai.models import LessonPassage
from learnward.ai.search import query_terms
from learnward.ai.selectors import search_passages

pytestmark = pytest.mark.django_db


def test_saving_a_lesson_builds_its_passages_with_headings(course):
    passages = LessonPassage.objects.filter(course=course, title="Why minimise personal data")
    headings = [p.heading for p in passages.order_by("position")]
    assert headings == ["", "Deciding what you need", "Retention periods"]
    assert all(p.course_id == course.pk for p in passages)


def test_relevant_passages_come_first_with_links_to_their_lesson(course):
    passages = search_passages(course=course, question="How long should we keep records?")
    assert passages, "expected a match for retention"
    first = passages[0]
    assert first.heading == "Retention periods"
    assert first.lesson_title == "Why minimise personal data"
    assert first.url == f"/courses/{course.slug}/lessons/{first.lesson_id}/"
    assert [p.number for p in passages] == list(range(1, len(passages) + 1))


def test_stemming_matches_other_forms_of_a_word(course):
    passages = search_passages(course=course, question="withdrawing consents")
    assert passages[0].heading == "Consent"


def test_search_stays_inside_the_course(course, other_course):
    passages = search_passages(course=other_course, question="retention periods personal data")
    assert {p.lesson_title for p in passages} == {"Retention of fire logs"}
    for passage in search_passages(course=course, question="fire alarm logs"):
        assert passage.lesson_title != "Retention of fire logs"


def test_editing_a_lesson_replaces_its_passages_in_the_index(course):
    from learnward.catalog.models import Lesson

    lesson = Lesson.objects.get(module__course=course, title="Handling a breach")
    assert search_passages(course=course, question="regulator 72 hours")
    lesson.body_markdown = "Phishing emails trick people into giving away passwords."
    lesson.save()
    assert not [
        p for p in search_passages(course=course, question="regulator") if p.lesson_id == lesson.pk
    ]
    assert search_passages(course=course, question="phishing")[0].lesson_id == lesson.pk


def test_deleting_a_lesson_removes_it_from_the_index(course):
    from learnward.catalog.models import Lesson

    lesson = Lesson.objects.get(module__course=course, title="Handling a breach")
    lesson.delete()
    assert not search_passages(course=course, question="breach regulator 72 hours")


def test_moving_a_module_to_another_course_moves_its_passages(course, other_course):
    from learnward.catalog.models import Module

    module = Module.objects.get(course=course)
    module.course = other_course
    module.save()
    hits = search_passages(course=other_course, question="consent withdraw")
    assert hits and hits[0].heading == "Consent"
    assert not search_passages(course=course, question="consent withdraw")


@pytest.mark.parametrize(
    "question",
    [
        'consent" OR "x',
        "consent AND NOT NEAR(a b)",
        "col:consent *",
        "consent'; DROP TABLE ai_lessonpassage; --",
        "consent) | (!breach & 'x'",
        "ÉTÉ naïve café consent",
    ],
)
def test_query_syntax_in_questions_is_treated_as_words(course, question):
    passages = search_passages(course=course, question=question)
    assert "Consent" in [p.heading for p in passages]
    assert LessonPassage.objects.filter(course=course).exists()


@pytest.mark.parametrize("question", ["", "   ", "what is the", "?!", "a " * 500])
def test_questions_without_meaningful_words_find_nothing(course, question):
    assert search_passages(course=course, question=question) == []


def test_query_terms_drop_stopwords_and_duplicates():
    assert query_terms("What is the retention period, the RETENTION period?") == [
        "retention",
        "period",
    ]


def test_index_is_maintained_by_the_database_itself(course):
    """A raw insert (no Django code) is searchable: the triggers or generated column did it."""
    from learnward.catalog.models import Lesson

    lesson = Lesson.objects.filter(module__course=course).first()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ai_lessonpassage (lesson_id, course_id, position, title, heading, text) "
            "VALUES (%s, %s, 99, 'x', '', 'zeugma anaphora chiasmus')",
            [lesson.pk, course.pk],
        )
    assert search_passages(course=course, question="chiasmus")[0].text.endswith("chiasmus")


def test_chunking_merges_short_paragraphs_and_splits_long_ones():
    long = " ".join(f"Sentence number {i} is here." for i in range(200))
    chunks = chunk_markdown(f"# Title\n\nShort one.\n\nShort two.\n\n{long}")
    assert chunks[0].text.startswith("Short one. Short two.")
    assert all(c.words <= MAX_WORDS for c in chunks)
    assert all(c.heading == "Title" for c in chunks)
    assert sum(c.words for c in chunks) == 4 + sum(len(s.split()) for s in [long])


def test_plain_text_strips_markdown_syntax():
    assert plain_text("**Bold** and [a link](http://x.test) and `code` ![alt](i.png)") == (
        "Bold and a link and code alt"
    )


def test_passages_are_bounded_in_size_whatever_the_text():
    from learnward.ai.chunking import MAX_CHARS, MAX_WORD_CHARS

    blob = "data:" + "A" * 5000
    sentence = " ".join(["supercalifragilistic"] * 400)
    chunks = chunk_markdown(f"{blob}\n\n{sentence}\n\n" + "word " * 3000)
    assert chunks
    for chunk in chunks:
        assert len(chunk.text) <= MAX_CHARS and chunk.words <= MAX_WORDS
        assert max(len(w) for w in chunk.text.split()) <= MAX_WORD_CHARS
