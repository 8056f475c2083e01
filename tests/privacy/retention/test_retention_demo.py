"""Done means: a retention run on the demo, with the clock moved forward, deletes and anonymises
exactly what the dry run announced."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from learnward.core.demo import load_demo
from learnward.privacy.retention import services as retention

pytestmark = pytest.mark.django_db


@pytest.fixture
def _issuer(settings, tmp_path):
    settings.ISSUER_KEY = ""
    settings.ISSUER_KEY_FILE = tmp_path / "keys" / "issuer_ed25519"


def test_the_run_does_exactly_what_the_dry_run_announced(_issuer):
    load_demo()
    later = timezone.now() + timedelta(days=3 * 365 + 40)
    with time_machine.travel(later, tick=False):
        plans = {p.key: p for p in retention.retention_plan()}
        rules = {r.key: r for r in retention.retention_rules()}
        periods = retention.effective_periods()
        announced = {}
        before = {}
        for key, plan in plans.items():
            if plan.action not in ("delete", "anonymise"):
                continue
            rule = rules[key]
            due = set(
                retention.due_queryset(
                    rule, retention.cutoff_for(rule, periods[key], later)
                ).values_list("pk", flat=True)
            )
            assert len(due) == plan.due, key
            announced[key] = due
            before[key] = set(rule.model._default_manager.values_list("pk", flat=True))
        assert sum(len(d) for d in announced.values()) > 0, "the demo should have rows due"
        assert plans["accounts.User"].due == 0  # demo accounts are active
        run = retention.retention_run()
    for key, due in announced.items():
        rule = rules[key]
        after = set(rule.model._default_manager.values_list("pk", flat=True))
        if rule.retention.action.value == "delete":
            assert after == before[key] - due, key
        else:
            assert after == before[key], key
            assert not retention.due_queryset(
                rule, retention.cutoff_for(rule, periods[key], later)
            ).exists(), key
        # Rows removed by a cascade from another rule's deletion count there, never twice.
        assert run.stats[key]["processed"] <= len(due), key
