"""The CPD record is personal data in the registry: exported, erased with the learner, audited."""

import io
import zipfile
from datetime import date

import pytest

from learnward.audit.models import AuditEntry
from learnward.cpd.models import CpdActivity, Reflection
from learnward.cpd.services import CpdError, activity_add, reflection_save


@pytest.fixture
def activity(learner):
    activity = activity_add(
        user=learner,
        title="Ethics webinar",
        activity_type="elearning",
        occurred_on=date(2025, 3, 3),
        hours="1.5",
        notes="Good session",
    )
    reflection_save(
        user=learner, activity=activity, what="Dilemmas", so_what="Daily", now_what="Read more"
    )
    return activity


def test_record_is_in_the_subject_export(learner, activity):
    from learnward.privacy.registry.export import export_subject_to

    buffer = io.BytesIO()
    export_subject_to(user=learner, fileobj=buffer)
    with zipfile.ZipFile(buffer) as zf:
        everything = "\n".join(
            zf.read(n).decode("utf-8", "replace") for n in zf.namelist() if n.endswith(".json")
        )
    assert "Ethics webinar" in everything and "Read more" in everything


def test_record_is_erased_with_the_learner(learner, activity):
    from learnward.privacy.rights.erasure import subject_erase

    subject_erase(user=learner, reason="test")
    assert not CpdActivity.objects.exists() and not Reflection.objects.exists()


def test_writes_are_audited_without_the_learners_words(learner, activity):
    entries = AuditEntry.objects.filter(subject_id=learner.pk, action__startswith="cpd.")
    assert {e.action for e in entries} == {"cpd.activity_added", "cpd.reflection_saved"}
    assert all("Dilemmas" not in str(e.payload) and "Ethics" not in str(e.payload) for e in entries)


def test_a_reflection_is_about_exactly_one_thing(learner, activity, make_user):
    with pytest.raises(CpdError):
        reflection_save(user=learner, what="x", so_what="", now_what="")
    with pytest.raises(CpdError):
        reflection_save(
            user=learner, activity=activity, course_id=1, what="x", so_what="", now_what=""
        )
    other = make_user(display_name="Other Person")
    with pytest.raises(CpdError):
        reflection_save(user=other, activity=activity, what="x", so_what="", now_what="")
    assert Reflection.objects.get().what == "Dilemmas"
