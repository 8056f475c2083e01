"""PostgreSQL: activity events partitioned by month; retention drops whole partitions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection

from learnward.core import partitions
from learnward.learning.models import ActivityEvent
from learnward.privacy.retention import services as retention

from .retention_support import activity, aware

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="partitioning is PostgreSQL-only"),
]

TABLE = "learning_activityevent"
NOW = aware(2030, 6, 15, 12, 0)  # cutoff for 24 months: 15 June 2028


def names() -> set[str]:
    return {p.name for p in partitions.partitions(TABLE)}


def rows_in(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - fixed test identifiers
        return cursor.fetchone()[0]


class Totals(retention.Progress):
    def __init__(self):
        self.totals = {}

    def start(self, key, label, total):
        self.totals[key] = total


def test_the_migration_partitioned_the_table_by_month():
    assert partitions.is_partitioned(TABLE)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t "
            "ON t.oid = c.conrelid WHERE t.relname = %s AND c.contype = 'p'",
            [TABLE],
        )
        assert cursor.fetchone()[0] == "PRIMARY KEY (id, occurred_at)"
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [TABLE])
        indexes = {row[0] for row in cursor.fetchall()}
    assert {"activity_user_course_kind", "activity_occurred_at"} <= indexes
    assert names(), "partitions are created ahead by the migration"


def test_whole_months_past_the_period_are_dropped_and_the_rest_deleted_in_batches(make_user):
    learner = make_user()
    with time_machine.travel(NOW, tick=False):
        partitions.ensure_partitions(
            TABLE, "occurred_at", since=aware(2028, 2, 1), through=aware(2028, 7, 1)
        )
        activity(learner, at=aware(2028, 2, 10), count=50)
        activity(learner, at=aware(2028, 3, 10), count=30)
        activity(learner, at=aware(2028, 6, 2), count=4)  # due, in the month holding the cutoff
        keep = activity(learner, at=aware(2028, 6, 20), count=3)  # not yet due
        assert rows_in("learning_activityevent_p202802") == 50
        plan = next(p for p in retention.retention_plan() if p.key == "learning.ActivityEvent")
        assert plan.due == 84
        assert {"learning_activityevent_p202802", "learning_activityevent_p202803"} <= set(
            plan.partitions
        )
        assert "learning_activityevent_p202806" not in plan.partitions
        progress = Totals()
        run = retention.retention_run(batch_size=2, progress=progress)
    stats = run.stats["learning.ActivityEvent"]
    assert stats["processed"] == 84
    # The progress bar's total counts the dropped months' rows and the rest once each.
    assert progress.totals["learning.ActivityEvent"] == 84
    assert "rows_estimated_in" not in stats  # small months are counted exactly
    assert {"learning_activityevent_p202802", "learning_activityevent_p202803"} <= set(
        stats["partitions_dropped"]
    )
    assert "learning_activityevent_p202802" not in names()
    assert "learning_activityevent_p202806" in names()
    assert set(ActivityEvent.objects.values_list("pk", flat=True)) == {e.pk for e in keep}


def test_a_month_holding_rows_of_a_restricted_learner_is_not_dropped(make_user):
    from learnward.privacy.rights.services import restriction_start

    held, other = make_user(), make_user()
    with time_machine.travel(NOW, tick=False):
        partitions.ensure_partitions(
            TABLE, "occurred_at", since=aware(2028, 2, 1), through=aware(2028, 2, 1)
        )
        activity(held, at=aware(2028, 2, 10), count=2)
        activity(other, at=aware(2028, 2, 11), count=5)
        restriction_start(user=held, actor=held, reason="Legal claim")
        run = retention.retention_run()
    assert "learning_activityevent_p202802" in names()
    assert (
        "learning_activityevent_p202802"
        not in run.stats["learning.ActivityEvent"]["partitions_dropped"]
    )
    assert ActivityEvent.objects.filter(user=held).count() == 2
    assert not ActivityEvent.objects.filter(user=other).exists()


def test_rows_without_a_partition_wait_in_the_default_one_and_move_when_it_is_created(
    make_user,
):
    learner = make_user()
    activity(learner, at=aware(2035, 5, 5), count=3)
    assert rows_in("learning_activityevent_default") == 3
    may = datetime(2035, 5, 1, tzinfo=UTC)  # partitions are calendar months in UTC
    created = partitions.ensure_partitions(TABLE, "occurred_at", since=may, through=may)
    assert created == ["learning_activityevent_p203505"]
    assert rows_in("learning_activityevent_default") == 0
    assert rows_in("learning_activityevent_p203505") == 3
    assert ActivityEvent.objects.filter(user=learner).count() == 3
    assert partitions.ensure_partitions(TABLE, "occurred_at", since=may, through=may) == []


def test_each_run_creates_partitions_months_ahead(settings):
    settings.RETENTION_PARTITION_MONTHS_AHEAD = 2
    with time_machine.travel(aware(2033, 1, 20), tick=False):
        retention.retention_run()
    assert {
        "learning_activityevent_p203301",
        "learning_activityevent_p203302",
        "learning_activityevent_p203303",
    } <= names()


def test_an_existing_table_converts_with_its_rows_ids_and_indexes(make_user):
    """The migration path for an install that already has activity events."""
    learner = make_user()
    rows = activity(learner, at=aware(2024, 9, 9), count=3) + activity(
        learner, at=aware(2025, 1, 2), count=2
    )
    partitions.convert_to_plain(TABLE, "occurred_at")
    assert not partitions.is_partitioned(TABLE)
    assert ActivityEvent.objects.count() == 5
    partitions.convert_to_partitioned(TABLE, "occurred_at", months_ahead=1)
    assert partitions.is_partitioned(TABLE)
    assert {"learning_activityevent_p202409", "learning_activityevent_p202501"} <= names()
    assert set(ActivityEvent.objects.values_list("pk", flat=True)) == {r.pk for r in rows}
    newer = activity(learner, at=aware(2025, 1, 3))[0]
    assert newer.pk > max(r.pk for r in rows)
    with time_machine.travel(aware(2026, 12, 20), tick=False):  # cutoff: 20 December 2024
        run = retention.retention_run()
    assert (
        "learning_activityevent_p202409"
        in run.stats["learning.ActivityEvent"]["partitions_dropped"]
    )
    assert ActivityEvent.objects.count() == 3  # January 2025's rows are not due yet
    assert not ActivityEvent.objects.filter(occurred_at__lt=aware(2025, 1, 1)).exists()
    assert newer.pk in ActivityEvent.objects.values_list("pk", flat=True)


def test_a_partition_detached_by_a_crashed_run_is_dropped_by_the_next(make_user):
    learner = make_user()
    with time_machine.travel(NOW, tick=False):
        partitions.ensure_partitions(
            TABLE, "occurred_at", since=aware(2028, 2, 1), through=aware(2028, 2, 1)
        )
        activity(learner, at=aware(2028, 2, 10), count=5)
        february = next(p for p in partitions.partitions(TABLE) if p.label == "2028-02")
        partitions.detach_partition(TABLE, february)  # the crash came before the drop
        assert partitions.detached_leftovers(TABLE) == ["learning_activityevent_p202802"]
        assert not ActivityEvent.objects.exists()  # detached rows are out of the live table
        run = retention.retention_run()
    assert partitions.detached_leftovers(TABLE) == []
    assert run.stats["learning.ActivityEvent"]["detached_drop_ms"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('learning_activityevent_p202802')")
        assert cursor.fetchone()[0] is None


def test_a_large_month_is_sized_from_statistics_and_the_summary_says_so(make_user, monkeypatch):
    """Counting a big month would read all of it, so the sweep would grow with its size; past
    EXACT_COUNT_MAX rows its size comes from the planner's statistics, flagged as estimated."""
    from learnward.audit.actions import Action
    from learnward.audit.models import AuditEntry

    monkeypatch.setattr(partitions, "EXACT_COUNT_MAX", 10)
    learner = make_user()
    with time_machine.travel(NOW, tick=False):
        partitions.ensure_partitions(
            TABLE, "occurred_at", since=aware(2028, 2, 1), through=aware(2028, 3, 1)
        )
        activity(learner, at=aware(2028, 2, 10), count=12)
        activity(learner, at=aware(2028, 3, 10), count=3)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE learning_activityevent_p202802")
            cursor.execute("ANALYZE learning_activityevent_p202803")
        february = next(p for p in partitions.partitions(TABLE) if p.label == "2028-02")
        march = next(p for p in partitions.partitions(TABLE) if p.label == "2028-03")
        assert partitions.count_rows(february) == partitions.RowCount(12, exact=False)
        assert partitions.count_rows(march) == partitions.RowCount(3, exact=True)
        run = retention.retention_run()
    stats = run.stats["learning.ActivityEvent"]
    assert stats["rows_estimated_in"] == ["learning_activityevent_p202802"]
    assert stats["processed"] == 15
    assert not ActivityEvent.objects.exists()
    audited = AuditEntry.objects.get(action=Action.RETENTION_RUN).payload
    assert audited["rules"]["learning.ActivityEvent"]["rows_estimated_in"] == [
        "learning_activityevent_p202802"
    ]


def test_a_month_never_analysed_is_counted_exactly(make_user, monkeypatch):
    monkeypatch.setattr(partitions, "EXACT_COUNT_MAX", 1)
    learner = make_user()
    partitions.ensure_partitions(
        TABLE, "occurred_at", since=aware(2028, 2, 1), through=aware(2028, 2, 1)
    )
    activity(learner, at=aware(2028, 2, 10), count=4)
    february = next(p for p in partitions.partitions(TABLE) if p.label == "2028-02")
    assert partitions.count_rows(february) == partitions.RowCount(4, exact=True)
