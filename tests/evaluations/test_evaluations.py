"""Course evaluations: optional, after completion; comments shared only by choice; research
use only with a separate consent."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from learnward.evaluations.models import Evaluation, EvaluationInvitation
from learnward.evaluations.selectors import course_results, research_comments
from learnward.evaluations.services import evaluation_submit
from learnward.privacy.consent.models import ConsentRecord
from learnward.privacy.consent.services import consent_given


@pytest.fixture
def course(db):
    from learnward.catalog.models import Course

    return Course.objects.create(
        title="Manual handling",
        slug="manual-handling",
        summary="Lift safely.",
        cpd_hours=3,
        published=True,
    )


@pytest.fixture
def complete(course):
    from learnward.learning.models import Completion, Enrolment

    def factory(user, when=None):
        when = when or timezone.now()
        enrolment = Enrolment.objects.create(user=user, course=course, enrolled_at=when)
        return Completion.objects.create(enrolment=enrolment, completed_at=when)

    return factory


@pytest.fixture
def author(make_user):
    return make_user(email="author@example.test", roles=["Course author"])


def test_completing_a_course_brings_one_invitation(smtp_server, make_user, complete):
    user = make_user(email="sam@example.test")
    completion = complete(user)
    call_command("evaluation_invitations")
    call_command("evaluation_invitations")  # idempotent
    [mail] = smtp_server.to("sam@example.test")
    assert "Manual handling" in mail.subject
    link = next(url for url in mail.links() if "/evaluations/" in url)
    assert link.endswith(f"/evaluations/{completion.pk}/")
    assert EvaluationInvitation.objects.get().emailed_at is not None


def test_a_learner_evaluates_and_research_consent_starts_unticked(client, make_user, complete):
    user = make_user()
    completion = complete(user)
    client.force_login(user)
    page = client.get(f"/evaluations/{completion.pk}/").content.decode()
    assert 'name="research"' in page and 'name="research" checked' not in page
    response = client.post(
        f"/evaluations/{completion.pk}/", {"rating": "4", "comments": "Clear and practical."}
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.rating, evaluation.share_comments) == (4, False)
    assert not ConsentRecord.objects.filter(purpose="research").exists()


def test_research_consent_is_recorded_with_its_text_and_can_be_withdrawn(
    client, make_user, complete
):
    user = make_user()
    completion = complete(user)
    client.force_login(user)
    client.post(
        f"/evaluations/{completion.pk}/",
        {"rating": "5", "comments": "Loved it.", "research": "on"},
    )
    evaluation = Evaluation.objects.get()
    record = ConsentRecord.objects.get(purpose="research")
    assert record.given and record.topic == f"evaluation:{evaluation.pk}"
    assert "Manual handling" in record.text and "research" in record.text
    client.post(f"/evaluations/{completion.pk}/", {"rating": "5", "comments": "Loved it."})
    assert not consent_given(user=user, purpose="research", topic=evaluation.research_topic)
    assert ConsentRecord.objects.filter(purpose="research").count() == 2


@pytest.mark.parametrize("rating", ["0", "6", "", "five"])
def test_a_bad_rating_is_a_400_and_nothing_is_stored(client, make_user, complete, rating):
    user = make_user()
    completion = complete(user)
    client.force_login(user)
    response = client.post(f"/evaluations/{completion.pk}/", {"rating": rating})
    assert response.status_code == 400
    assert b"Choose a rating from 1 to 5" in response.content
    assert not Evaluation.objects.exists()


def test_another_learners_completion_is_a_404(client, make_user, complete):
    owner, other = make_user(), make_user()
    completion = complete(owner)
    client.force_login(other)
    assert client.get(f"/evaluations/{completion.pk}/").status_code == 404
    assert client.post(f"/evaluations/{completion.pk}/", {"rating": "1"}).status_code == 404
    assert not Evaluation.objects.exists()


def test_authors_see_totals_and_only_comments_learners_chose_to_share(
    client, make_user, complete, course, author
):
    learners = [make_user() for _ in range(3)]
    evaluation_submit(
        user=learners[0],
        completion=complete(learners[0]),
        rating=5,
        comments="Shared praise",
        share_comments=True,
    )
    evaluation_submit(
        user=learners[1], completion=complete(learners[1]), rating=3, comments="Private grumble"
    )
    evaluation_submit(user=learners[2], completion=complete(learners[2]), rating=4)
    client.force_login(author)
    html = client.get(f"/evaluations/results/{course.slug}/").content.decode()
    assert "3 responses" in html and "<strong>4.0</strong>" in html
    assert "Shared praise" in html and "Private grumble" not in html
    assert learners[0].display_name not in html


def test_totals_are_withheld_below_three_responses(make_user, complete, course, author):
    learner = make_user()
    evaluation_submit(
        user=learner, completion=complete(learner), rating=1, comments="Shared", share_comments=True
    )
    result = course_results(actor=author, course=course)
    assert result.withheld and result.average is None and result.shared_comments == []


def test_learners_cannot_see_results(client, make_user, course):
    client.force_login(make_user())
    assert client.get(f"/evaluations/results/{course.slug}/").status_code == 404
    assert client.get("/evaluations/results/").status_code == 404


def test_research_sees_only_comments_with_current_consent(make_user, complete, course):
    from django.contrib.auth.models import Permission

    researcher = make_user(roles=["Administrator"])
    researcher.user_permissions.add(Permission.objects.get(codename="use_for_research"))
    yes, no = make_user(), make_user()
    evaluation_submit(
        user=yes, completion=complete(yes), rating=4, comments="Use me", research=True
    )
    evaluation_submit(user=no, completion=complete(no), rating=4, comments="Not me")
    researcher = type(researcher).objects.get(pk=researcher.pk)  # fresh permission cache
    assert research_comments(actor=researcher, course=course) == ["Use me"]
    from learnward.privacy.rights.services import restriction_start

    restriction_start(user=yes, actor=yes)
    assert research_comments(actor=researcher, course=course) == []


def test_no_invitation_while_restricted_or_objecting(smtp_server, make_user, complete):
    from learnward.privacy.rights.services import objection_record, restriction_start

    restricted, objecting = make_user(), make_user()
    complete(restricted)
    complete(objecting)
    restriction_start(user=restricted, actor=restricted)
    objection_record(user=objecting, purpose="evaluation", actor=objecting)
    call_command("evaluation_invitations")
    assert smtp_server.messages == []
    assert not EvaluationInvitation.objects.exists()
