"""The community in a real browser, with axe-core on every page and each page fitting a 390-pixel
phone: two learners join; one asks a question in the course space mentioning the other, who gets
an in-app notification and a push through the loopback push service (tests/fakes/push_service.py,
standing in for the browser vendors' services: it checks the VAPID signature and decrypts the
payload as a browser would); the tutor opens the space, marks the question answered; a rude reply
is reported and hidden, and its author is told why."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def push_service(settings):
    from learnward.notifications.management.commands.vapid_keys import generate_vapid_keys
    from tests.fakes.push_service import FakePushService

    private, public = generate_vapid_keys()
    settings.VAPID_PRIVATE_KEY = private
    settings.VAPID_PUBLIC_KEY = public
    settings.VAPID_SUBJECT = "mailto:push@learnward.test"
    settings.PUSH_ALLOW_LOOPBACK = True
    service = FakePushService(expected_public_key=public).start()
    try:
        yield service
    finally:
        service.stop()


def _fits_a_phone(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    page.set_viewport_size({"width": 1280, "height": 720})


def _check(page, label: str) -> None:
    check_accessibility(page, label=label)
    _fits_a_phone(page)


def _new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _join(page, email: str) -> None:
    log_in(page, email)
    page.goto("/community/")
    expect(page.get_by_role("heading", name="Join the community")).to_be_visible()
    _check(page, "community, not joined")
    page.get_by_role("button", name="Join the community").click()
    expect(page.get_by_text("Welcome to the community.")).to_be_visible()
    _check(page, "community home, joined")


def test_two_learners_a_question_a_mention_an_answer_and_a_hidden_reply(
    page, browser, live_server, make_user, push_service
):
    from learnward.learning.services import enrolment_create
    from learnward.notifications.services import push_subscription_save
    from tests.catalog.factories import make_course

    course = make_course(title="Manual handling", questions=0)
    ana = make_user(email="ana@example.test", display_name="Ana Silva")
    tom = make_user(email="tom@example.test", display_name="Tom Reid")
    tutor = make_user(email="tess@example.test", display_name="Tess Tutor", roles=["Tutor"])
    course.tutors.add(tutor)
    for learner in (ana, tom):
        enrolment_create(user=learner, course=course)
    # Tom's phone subscribed to push (a browser's PushSubscription, from the loopback service).
    device = push_service.new_device()
    push_subscription_save(
        user=tom, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth
    )

    # The tutor opens the course's space.
    tutor_context, tutor_page = _new_page(browser, live_server)
    log_in(tutor_page, "tess@example.test")
    tutor_page.goto("/community/")
    tutor_page.get_by_label("Course", exact=True).select_option(label="Manual handling")
    tutor_page.get_by_role("button", name="Open the space").click()
    expect(tutor_page.get_by_role("heading", name="Manual handling")).to_be_visible()
    _check(tutor_page, "course space, tutor")

    # 1. Two learners join.
    _join(page, "ana@example.test")
    tom_context, tom_page = _new_page(browser, live_server)
    _join(tom_page, "tom@example.test")

    # 2. Ana asks a question in the course space, mentioning Tom.
    page.get_by_role("link", name="Manual handling").click()
    expect(page.get_by_role("heading", name="Ask a question")).to_be_visible()
    _check(page, "course space")
    page.get_by_label("Title").fill("How far should I bend my knees?")
    page.get_by_label("Your post").fill(
        "When lifting a box from the floor, how far should I bend? @tom what did you do?"
        "<script>document.title='pwned'</script>"
    )
    page.get_by_role("button", name="Post the thread").click()
    expect(page.get_by_text("Your thread is posted.")).to_be_visible()
    assert page.title() != "pwned"
    expect(page.get_by_role("link", name="@tom")).to_be_visible()
    _check(page, "thread")

    # 3. Tom is mentioned: an in-app notification, and a minimal push to his device.
    tom_page.goto("/notifications/")
    expect(
        tom_page.get_by_role("link", name="You were mentioned in a community post")
    ).to_be_visible()
    _check(tom_page, "notification centre")
    assert push_service.rejected == []
    bodies = [d.payload["body"] for d in push_service.deliveries]
    assert bodies == ["You were mentioned in a post"]
    assert "Ana" not in push_service.deliveries[0].raw_plaintext.decode()
    tom_page.get_by_role("link", name="You were mentioned in a community post").click()
    expect(tom_page.get_by_role("heading", name="How far should I bend my knees?")).to_be_visible()

    # 4. The tutor marks it answered.
    tutor_page.goto(page.url)
    tutor_page.get_by_role("button", name="Mark as answered").click()
    expect(tutor_page.get_by_text("Marked as answered.")).to_be_visible()
    _check(tutor_page, "thread, tutor")

    # 5. Tom replies rudely; Ana reports it; the tutor hides it from the moderation queue.
    tom_page.get_by_label("Your reply").fill("What a silly question.")
    tom_page.get_by_role("button", name="Post the reply").click()
    expect(tom_page.get_by_text("Your reply is posted.")).to_be_visible()
    page.reload()
    page.get_by_role("link", name="Report the post by Tom").click()
    _check(page, "report a post")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("Say why you are reporting this post.").first).to_be_visible()
    page.get_by_label("Why are you reporting this post?").fill("Unkind to a learner")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("a moderator will look at the post")).to_be_visible()

    tutor_page.goto("/community/moderation/")
    expect(tutor_page.get_by_text("Reason given: Unkind to a learner")).to_be_visible()
    _check(tutor_page, "moderation queue")
    tutor_page.get_by_label("Reason for hiding (the author sees it)").fill(
        "Please keep replies kind and helpful."
    )
    tutor_page.get_by_role("button", name="Hide the post").click()
    expect(tutor_page.get_by_text("The post is hidden; its author sees why.")).to_be_visible()
    expect(tutor_page.get_by_text("No reports are waiting.")).to_be_visible()

    page.reload()
    expect(page.get_by_text("A moderator hid this post.")).to_be_visible()
    expect(page.get_by_text("What a silly question.")).to_have_count(0)

    # 6. The author is told why: on the thread, in the centre and on the community page.
    tom_page.reload()
    expect(
        tom_page.get_by_text(
            "A moderator hid your post from others. Reason: Please keep replies kind and helpful."
        )
    ).to_be_visible()
    tom_page.goto("/notifications/")
    expect(
        tom_page.get_by_role("link", name="A moderator hid your post in Manual handling")
    ).to_be_visible()
    tom_page.goto("/community/")
    expect(
        tom_page.get_by_role("cell", name="Please keep replies kind and helpful.")
    ).to_be_visible()
    _check(tom_page, "community home, moderated")
    tutor_context.close()
    tom_context.close()
