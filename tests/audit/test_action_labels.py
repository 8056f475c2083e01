"""Actions are keys from learnward/audit/actions.py, stored without database choices: people see
their labels, and a key the code no longer lists is shown as it is, never as an error."""

import pytest

from learnward.audit.actions import Action, action_label
from learnward.audit.models import AuditEntry
from learnward.audit.services import audit_record


def test_a_known_action_reads_as_its_label():
    assert action_label("user.profile_changed") == "Profile changed"
    assert action_label(Action.SUBJECT_ERASED) == "Personal data erased"


def test_an_action_the_code_no_longer_lists_is_shown_as_stored():
    assert action_label("legacy.renamed_action") == "legacy.renamed_action"


@pytest.mark.django_db
def test_an_entry_shows_its_label_where_a_row_is_printed():
    audit_record(action=Action.USER_PROFILE_CHANGED, actor=None)
    entry = AuditEntry.objects.get()
    assert entry.get_action_display() == "Profile changed"
    assert str(entry) == f"#{entry.sequence} Profile changed"


def test_the_action_column_has_no_choices():
    # A new action is a line in actions.py; with choices it would also need a migration.
    assert not AuditEntry._meta.get_field("action").choices
