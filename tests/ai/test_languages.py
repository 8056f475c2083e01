"""The assistant in the learner's language: its page in French, the model told to answer in the
language of the page, and an opt-in given in one language counting in the others."""

from django.urls import reverse
from django.utils import translation

from learnward.ai.selectors import ai_status

QUESTION = "How long should we keep records under retention periods?"


def _ask_path(course) -> str:
    with translation.override("en-gb"):
        return reverse("ai:ask", args=[course.slug])


def test_the_model_is_told_to_answer_in_french_on_a_french_page(client, learner, course, ai_on):
    client.force_login(learner)
    response = client.post(f"/fr{_ask_path(course)}", {"question": QUESTION})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Réponse générée par l'IA" in page or "Réponse générée par l&#x27;IA" in page
    assert "AI-generated answer" not in page
    (request,) = ai_on.requests
    system = request.messages[0]["content"]
    assert system.endswith("Write your answer in French.")


def test_the_model_is_told_to_answer_in_dutch_on_a_dutch_page(client, learner, course, ai_on):
    client.force_login(learner)
    client.post(f"/nl{_ask_path(course)}", {"question": QUESTION})
    (request,) = ai_on.requests
    assert request.messages[0]["content"].endswith("Write your answer in Dutch.")


def test_the_opt_in_text_is_translated_and_its_version_is_the_same(learner, ai_on):
    with translation.override("en-gb"):
        english = ai_status(user=learner)
    with translation.override("fr"):
        french = ai_status(user=learner)
    assert english.enabled and french.enabled  # agreed once, on for every language
    assert french.version == english.version
    assert french.text.startswith("Si vous activez les fonctions assistées par IA")
    assert english.text.startswith("If you turn on AI-assisted features")
