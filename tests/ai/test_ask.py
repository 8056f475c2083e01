"""Ask the course: passages always, a cited AI answer only with a provider and the learner's
opt-in, and never a 500 or a leak of the learner's personal data."""

from datetime import date

import pytest
from django.urls import reverse

from learnward.ai.models import AiCall

from .conftest import personal_values

QUESTION = (
    "I'm Jane Okonkwo-Smith, born 17/05/1990, email jane.doe@example.org, phone 07700 900123, "
    "postcode SW1A 1AA, NI QQ 12 34 56 C, card 4111 1111 1111 1111. How long should we keep "
    "records under retention periods, and when can people withdraw consent?"
)


def ask(client, course, question=QUESTION):
    return client.post(reverse("ai:ask", args=[course.slug]), {"question": question})


def test_without_a_provider_the_learner_gets_relevant_passages_not_an_answer(
    client, learner, course
):
    client.force_login(learner)
    response = ask(client, course)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Relevant passages" in html
    assert "Retention periods" in html
    assert f'href="/courses/{course.slug}/lessons/' in html
    assert "AI-generated answer" not in html
    assert (
        "answer"
        not in html.split("Relevant passages")[0].split("Results for your question")[1].lower()
    )
    assert not AiCall.objects.exists()


def test_with_ai_on_the_answer_cites_passages_and_nothing_personal_leaves(
    client, learner, course, ai_on
):
    client.force_login(learner)
    response = ask(client, course)
    assert response.status_code == 200
    html = response.content.decode()
    assert "AI-generated answer" in html
    assert '<a href="#passage-1" aria-label="passage 1">[1]</a>' in html
    assert 'id="passage-1"' in html and 'id="passage-2"' in html
    (request,) = ai_on.requests
    sent = ai_on.sent_text()
    for value in personal_values(learner) + ["07700", "SW1A", "QQ 12", "4111", "jane.doe"]:
        assert value.lower() not in sent.lower(), f"{value!r} left the platform"
    assert "user" not in request.body
    for placeholder in (
        "[NAME]",
        "[DATE OF BIRTH]",
        "[EMAIL]",
        "[PHONE]",
        "[POSTCODE]",
        "[NI NUMBER]",
        "[CARD NUMBER]",
    ):
        assert placeholder in sent
    # The passages the answer rests on were sent, numbered.
    assert "[1] (Why minimise personal data - Retention periods)" in request.messages[1]["content"]


def test_each_call_is_logged_exactly_as_sent(client, learner, course, ai_on, ai_processor):
    client.force_login(learner)
    ask(client, course)
    call = AiCall.objects.get()
    request = ai_on.requests[0]
    assert call.user == learner
    assert call.feature == "ask_course"
    assert call.processor == ai_processor.name
    assert call.outcome == AiCall.Outcome.OK
    assert (
        call.sent_text == request.messages[0]["content"] + "\n\n" + request.messages[1]["content"]
    )
    assert call.response_text == ai_on.reply
    assert call.prompt_tokens > 0 and call.completion_tokens > 0
    assert call.redactions >= 7
    assert "Okonkwo" not in call.sent_text


@pytest.mark.parametrize(
    "mode, note",
    [
        ("slow", "took too long"),
        ("error", "could not be reached or returned an error"),
        ("rate_limit", "busy right now"),
        ("garbage", "could not be reached or returned an error"),
    ],
)
def test_provider_failures_degrade_to_passages_with_a_note(
    client, learner, course, ai_on, mode, note
):
    ai_on.set_mode(mode)
    client.force_login(learner)
    response = ask(client, course)
    assert response.status_code == 200
    html = response.content.decode()
    assert note in html
    assert "Relevant passages" in html and "Retention periods" in html
    assert "AI-generated answer" not in html
    call = AiCall.objects.get()
    assert call.outcome != AiCall.Outcome.OK and call.response_text == ""


def test_uncited_answers_are_flagged(client, learner, course, ai_on):
    ai_on.reply = "Keep it for a while."
    client.force_login(learner)
    html = ask(client, course).content.decode()
    assert "does not cite the passages" in html


def test_provider_html_is_escaped_and_unknown_citations_are_not_linked(
    client, learner, course, ai_on
):
    ai_on.reply = "<script>alert(1)</script> See [1] and [9]."
    client.force_login(learner)
    html = ask(client, course).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="#passage-9"' not in html


def test_not_opted_in_means_nothing_is_sent(client, learner, course, fake_llm, ai_processor):
    client.force_login(learner)
    html = ask(client, course).content.decode()
    assert "Relevant passages" in html
    assert "You have not turned on AI features" in html
    assert fake_llm.requests == []
    assert not AiCall.objects.exists()


def test_withdrawing_consent_switches_answers_off_at_once(client, learner, course, ai_on):
    client.force_login(learner)
    ask(client, course)
    assert len(ai_on.requests) == 1
    response = client.post(reverse("ai:settings"), {"action": "off"})
    assert response.status_code == 302
    html = ask(client, course).content.decode()
    assert len(ai_on.requests) == 1
    assert "AI-generated answer" not in html and "Relevant passages" in html


def test_restriction_switches_ai_off(client, learner, course, ai_on):
    from learnward.privacy.rights.services import restriction_start

    restriction_start(user=learner, actor=learner, reason="Checking my data")
    client.force_login(learner)
    html = ask(client, course).content.decode()
    assert "restricted the processing" in html
    assert ai_on.requests == []


def test_minors_never_get_ai_answers(client, make_user, course, fake_llm, ai_processor):
    from learnward.ai.selectors import ai_status
    from learnward.ai.services import ai_opt_in
    from learnward.learning.services import enrolment_create

    today = date.today()
    teen = make_user(display_name="Young Learner", date_of_birth=date(today.year - 16, 1, 1))
    enrolment_create(user=teen, course=course)
    ai_opt_in(user=teen, version=ai_status(user=teen).version)
    client.force_login(teen)
    html = ask(client, course).content.decode()
    assert "under 18" in html
    assert fake_llm.requests == []


def test_no_passages_means_no_provider_call(client, learner, course, ai_on):
    client.force_login(learner)
    html = ask(client, course, "zebra quagga okapi").content.decode()
    assert "No passages of this course match" in html
    assert ai_on.requests == []


def test_processor_must_be_registered_before_anything_is_sent(client, learner, course, fake_llm):
    client.force_login(learner)
    html = ask(client, course).content.decode()
    assert "Relevant passages" in html
    assert fake_llm.requests == []


@pytest.mark.parametrize(
    "question, message",
    [("", "Type a question"), ("   ", "Type a question"), ("x" * 1001, "under 1000 characters")],
)
def test_bad_questions_get_a_clear_message_and_nothing_is_sent(
    client, learner, course, ai_on, question, message
):
    client.force_login(learner)
    response = ask(client, course, question)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ai_on.requests == [] and not AiCall.objects.exists()


def test_only_enrolled_learners_may_ask(client, make_user, course, ai_on):
    stranger = make_user(display_name="Not Enrolled")
    client.force_login(stranger)
    response = ask(client, course)
    assert response.status_code == 403
    assert "Only learners enrolled" in response.content.decode()
    assert ai_on.requests == []


def test_anonymous_visitors_are_sent_to_log_in(client, course):
    response = ask(client, course)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_unknown_or_draft_course_is_a_404(client, learner, course):
    client.force_login(learner)
    assert (
        client.post(reverse("ai:ask", args=["no-such-course"]), {"question": "x"}).status_code
        == 404
    )
    course.published = False
    course.save()
    assert ask(client, course).status_code == 404


def test_csrf_is_enforced(learner, course):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert ask(client, course).status_code == 403
