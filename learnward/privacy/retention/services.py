"""Retention that enforces itself, driven only by the registry's ``Retention`` declarations.

A rule is one declaration's ``retention``. Its period is the declared default, or the
environment variable it names (``LEARNWARD_RETENTION_*_MONTHS``), or a period set in the admin
(:class:`RetentionOverride`), in rising order of precedence; never below the rule's
``minimum_months``. Every change of an effective period is audited.

:func:`retention_plan` says, per model and rule, how many rows are due and what will happen;
:func:`retention_run` does it: in small batches, each its own transaction that also records the
run's progress, so a crash loses nothing and the next run resumes the interrupted one with the
same reference time and finishes the job. Rows are chosen by the rule each time, so running
twice is harmless. Accounts are never deleted here directly: they are erased through
``learnward.privacy.rights.erasure.subject_erase``, after a warning (see :mod:`.accounts`).
On PostgreSQL, partitioned models lose whole monthly partitions (see :mod:`.partitions`).
"""

from __future__ import annotations

import contextlib
import fcntl
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core import partitions
from learnward.core.dbfiles import sqlite_checkpoint
from learnward.privacy.registry import RetentionAction, declarations
from learnward.privacy.retention import accounts as retention_accounts
from learnward.privacy.retention.due import (  # noqa: F401 - the engine's public names, re-exported
    Keep,
    RulePlan,
    anonymised_value,
    cutoff_for,
    cutoff_value,
    due_queryset,
    held_subject_ids,
    months_before,
    not_yet_anonymised,
    retention_problems,
)
from learnward.privacy.retention.models import RetentionRun
from learnward.privacy.retention.rules import (  # noqa: F401 - the engine's public names, re-exported
    ACCOUNT_ERASE,
    Period,
    RetentionBusy,
    RetentionConfigError,
    Rule,
    _months_text,
    describe_period,
    effective_period,
    effective_periods,
    retention_override_set,
    retention_record_period_changes,
    retention_rules,
    rule_for,
)
from learnward.privacy.rights.erasure import vacuum_record


def reference_time(now: datetime | None = None) -> datetime:
    """The 'now' a run would use: the interrupted run's, if there is one to resume."""
    unfinished = RetentionRun.objects.filter(status=RetentionRun.Status.RUNNING).first()
    if unfinished is not None:
        return unfinished.reference_time
    return now or timezone.now()


def retention_plan(*, now: datetime | None = None, counts: bool = True) -> list[RulePlan]:
    """Per model: its rule, rows due and the action, or why its rows are kept."""
    now = reference_time(now)
    periods = effective_periods()
    held = held_subject_ids()
    plans = []
    for declaration in declarations():
        if not declaration.holds_personal_data:
            continue
        if declaration.retention is None:
            plans.append(
                RulePlan(
                    declaration.key,
                    declaration.display_label,
                    "keep",
                    str(declaration.retention_note),  # registry wording is lazy: as text
                    keeps=[Keep(None, str(declaration.retention_note))],
                )
            )
            continue
        rule = Rule(declaration)
        period = periods[rule.key]
        cutoff = cutoff_for(rule, period, now)
        plan = RulePlan(
            rule.key,
            rule.label,
            rule.action,
            describe_period(rule, period),
            months=period.months,
            source=period.source,
            cutoff=cutoff,
        )
        if rule.is_account_rule:
            retention_accounts.plan_accounts(rule, plan, cutoff=cutoff, now=now, held=held)
        elif counts:
            plan.due = due_queryset(rule, cutoff, held=held).count()
            plan.partitions = [p.name for p in _droppable_partitions(rule, cutoff, held)]
            everything = rule.model._default_manager.filter(**dict(rule.retention.filter))
            if rule.retention.action == RetentionAction.ANONYMISE:
                done = everything.filter(
                    **{f"{rule.retention.anchor}__lt": cutoff_value(rule, cutoff)}
                ).exclude(not_yet_anonymised(rule))
                plan.keeps.append(Keep(done.count(), "already anonymised"))
            waiting = everything.filter(
                **{f"{rule.retention.anchor}__gte": cutoff_value(rule, cutoff)}
            ).count()
            plan.keeps.append(Keep(waiting, f"not yet due (kept {_months_text(period.months)})"))
            if held and declaration.subject:
                on_hold = (
                    everything.filter(
                        **{f"{rule.retention.anchor}__lt": cutoff_value(rule, cutoff)}
                    )
                    .filter(**{f"{declaration.subject}__in": held})
                    .count()
                )
                if on_hold:
                    plan.keeps.append(
                        Keep(on_hold, "processing restricted at the learner's request")
                    )
        plans.append(plan)
    return plans


# --- Execution ------------------------------------------------------------------------------------------


class Progress:
    """What the engine reports while it works; the command draws a bar with it."""

    def start(self, key: str, label: str, total: int) -> None: ...

    def advance(self, n: int) -> None: ...

    def finish(self, key: str) -> None: ...


@contextlib.contextmanager
def _run_lock() -> Iterator[None]:
    """One retention run at a time: an advisory lock on PostgreSQL, a file lock next to the
    SQLite database. Both are released if the process dies, so a crash never blocks a rerun."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(hashtext('learnward.retention'))")
            if not cursor.fetchone()[0]:
                raise RetentionBusy("Another retention run is in progress; try again later.")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(hashtext('learnward.retention'))")
        return
    name = str(connection.settings_dict["NAME"])
    if "memory" in name or name == ":memory:" or connection.vendor != "sqlite":
        yield  # an in-memory database is private to this process
        return
    with open(f"{name}.retention.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise RetentionBusy("Another retention run is in progress; try again later.") from exc
        yield


def _start_or_resume(now: datetime) -> RetentionRun:
    with transaction.atomic():
        run = (
            RetentionRun.objects.select_for_update()
            .filter(status=RetentionRun.Status.RUNNING)
            .first()
        )
        if run is not None:
            run.attempts += 1
            run.save(update_fields=["attempts"])
            return run
        return RetentionRun.objects.create(started_at=now, reference_time=now, stats={})


BATCH_SIZE_MIN = 100
BATCH_SIZE_MAX = 20_000


@dataclass
class _Runner:
    """Runs batches and records them. With ``target_ms``, the batch size follows the database:
    after each full batch it is resized towards the size that takes ``target_ms`` (growing by at
    most half, shrinking by at most half, within BATCH_SIZE_MIN..BATCH_SIZE_MAX), so batches stay
    short on a slow or busy machine and few (less per-batch overhead) on a fast one. Growth is
    slower than shrinking so one fast batch cannot make the next one long."""

    run: RetentionRun
    batch_size: int
    progress: Progress
    pause: float = 0.0
    target_ms: float = 0.0

    def resize(self, handled: int, elapsed_ms: float) -> None:
        if not self.target_ms or handled < self.batch_size or elapsed_ms <= 0:
            return  # fixed size, or a short last batch that says little about the rate
        wanted = handled * self.target_ms / elapsed_ms
        wanted = min(max(wanted, self.batch_size / 2), self.batch_size * 1.5)
        self.batch_size = int(min(max(wanted, BATCH_SIZE_MIN), BATCH_SIZE_MAX))

    def rule_stats(self, rule: Rule, period: Period, cutoff: datetime) -> dict:
        stats = self.run.stats.setdefault(
            rule.key,
            {
                "action": rule.action,
                "months": period.months,
                "cutoff": cutoff.isoformat(),
                "processed": 0,
                "partitions_dropped": [],
            },
        )
        return stats

    def commit_progress(self) -> None:
        """Record the batch in the run row, inside the batch's own transaction (the longest
        batch so far is measured after each commit, so it is stored with the next one)."""
        self.run.batches += 1
        RetentionRun.objects.filter(pk=self.run.pk).update(
            stats=self.run.stats,
            batches=self.run.batches,
            longest_batch_ms=self.run.longest_batch_ms,
        )

    def batch(self, rule: Rule, stats: dict, work, *, always: bool = False) -> int:
        """Run ``work()`` (returns rows handled) and record it, in one transaction. A batch
        that found nothing to do is not counted, unless ``always`` (a detached partition).
        Its time, commit included, counts towards the longest batch."""
        started = time.perf_counter()
        with transaction.atomic():
            handled = work()
            counted = bool(handled or always)
            if counted:
                stats["processed"] += handled
                self.commit_progress()
        if counted:
            elapsed_ms = (time.perf_counter() - started) * 1000
            self.run.longest_batch_ms = max(self.run.longest_batch_ms, elapsed_ms)
            if not always:
                self.resize(handled, elapsed_ms)
        self.progress.advance(handled)
        if handled and self.pause:
            # Let other writers in between batches (SQLite has one writer at a time).
            time.sleep(self.pause)
        return handled


def _droppable_partitions(rule: Rule, cutoff: datetime, held: list[int]) -> list:
    column = partitions.PARTITIONED_MODELS.get(rule.key)
    retention = rule.retention
    if (
        column is None
        or column != retention.anchor
        or retention.filter
        or retention.action != RetentionAction.DELETE
    ):
        return []
    table = rule.model._meta.db_table
    found = partitions.partitions_before(table, cutoff)
    subject_column = _subject_column(rule)
    if held and subject_column:
        found = [p for p in found if not partitions.rows_of_subjects(p, subject_column, held)]
    return found


def _subject_column(rule: Rule) -> str | None:
    subject = rule.declaration.subject
    if not subject or "__" in subject:
        return None
    return rule.model._meta.get_field(subject).column


def _run_rule(runner: _Runner, rule: Rule, period: Period, now: datetime, held: list[int]) -> None:
    cutoff = cutoff_for(rule, period, now)
    stats = runner.rule_stats(rule, period, cutoff)
    model = rule.model
    table = model._meta.db_table
    dropped = set(stats["partitions_dropped"])
    to_drop = [p for p in _droppable_partitions(rule, cutoff, held) if p.name not in dropped]
    qs = due_queryset(rule, cutoff, held=held)
    anchor = rule.retention.anchor
    # Counted outside the drop's transaction, so the lock it takes is held only for the
    # metadata change, however many rows the partition has.
    sizes = [partitions.count_rows(p) for p in to_drop]
    rest = _outside_partitions(qs, anchor, to_drop)
    runner.progress.start(rule.key, rule.label, sum(s.rows for s in sizes) + rest.count())
    for partition, size in zip(to_drop, sizes, strict=True):

        def detach(partition=partition, size=size):
            partitions.detach_partition(table, partition)
            stats["partitions_dropped"].append(partition.name)
            if not size.exact:
                stats.setdefault("rows_estimated_in", []).append(partition.name)
            return size.rows

        # Detaching takes a brief lock on the live table; dropping the detached table (which
        # frees its files, slower for a big month) is a separate transaction nobody waits on.
        runner.batch(rule, stats, detach, always=True)
        _drop_detached(runner, stats, partition.name)
    for name in partitions.detached_leftovers(table):
        _drop_detached(runner, stats, name)  # detached by a run that crashed before dropping
    if rule.retention.action == RetentionAction.DELETE:
        # Deleted rows leave the index, so each batch is simply the oldest due rows: one
        # DELETE ... WHERE pk IN (SELECT pk ... ORDER BY anchor LIMIT n), with no ids in Python.
        ordered = qs.order_by(anchor, "pk").values("pk")
        statements: dict[int, tuple] = {}  # batch size -> (batch queryset, compiled DELETE)

        def delete_oldest() -> int:
            size = runner.batch_size
            if size not in statements:
                batch = ordered[:size]
                statements[size] = (batch, _compiled_fast_delete(model, batch))
            return _delete_batch(model, *statements[size])

        while runner.batch(rule, stats, delete_oldest):
            pass
    else:
        values = {
            name: anonymised_value(model._meta.get_field(name)) for name in rule.retention.fields
        }
        last_pk = None
        while True:
            # Anonymised rows stay in the table: walk forward by primary key.
            batch_qs = qs if last_pk is None else qs.filter(pk__gt=last_pk)
            ids = list(batch_qs.order_by("pk").values_list("pk", flat=True)[: runner.batch_size])
            if not ids:
                break
            last_pk = ids[-1]
            runner.batch(
                rule,
                stats,
                lambda ids=ids: model._default_manager.filter(pk__in=ids).update(**values),
            )
    runner.progress.finish(rule.key)


def _outside_partitions(qs, anchor: str, parts: list) -> models.QuerySet:
    """``qs`` without the rows of ``parts`` (whole months, oldest first), written as the ranges
    between them so PostgreSQL prunes those partitions instead of reading them to exclude
    their rows (a NOT over each month's range would read every one of them)."""
    if not parts:
        return qs
    ranges = Q(**{f"{anchor}__lt": parts[0].start})
    for part, following in zip(parts, [*parts[1:], None], strict=True):
        gap = {f"{anchor}__gte": part.end}
        if following is not None:
            gap[f"{anchor}__lt"] = following.start
        ranges |= Q(**gap)
    return qs.filter(ranges)


def _drop_detached(runner: _Runner, stats: dict, name: str) -> None:
    started = time.perf_counter()
    with transaction.atomic():
        partitions.drop_detached(name)
    stats.setdefault("detached_drop_ms", []).append(
        round((time.perf_counter() - started) * 1000, 1)
    )


def _compiled_fast_delete(model: type[models.Model], batch) -> tuple[str, tuple] | None:
    """The batch's DELETE statement, compiled once, when the rows have no cascades or delete
    signals (Django would issue exactly this statement); None otherwise."""
    from django.db.models.deletion import Collector
    from django.db.models.sql import DeleteQuery

    queryset = model._default_manager.filter(pk__in=batch)
    if not Collector(using=queryset.db).can_fast_delete(queryset):
        return None
    query = queryset.query.clone()
    query.__class__ = DeleteQuery
    sql, params = query.get_compiler(queryset.db).as_sql()
    return sql, tuple(params)


def _delete_batch(model: type[models.Model], pks, compiled: tuple[str, tuple] | None = None) -> int:
    """Delete the rows whose primary keys ``pks`` (a list or a sliced queryset) names: with the
    precompiled statement when there is one, else through Django, which collects and deletes
    dependants (cascades) too."""
    if compiled is not None:
        with connection.cursor() as cursor:
            cursor.execute(*compiled)
            return cursor.rowcount
    deleted, per_model = model._default_manager.filter(pk__in=pks).delete()
    return per_model.get(model._meta.label, 0)


def retention_run(
    *,
    actor=None,
    now: datetime | None = None,
    batch_size: int | None = None,
    progress: Progress | None = None,
) -> RetentionRun:
    """Apply every retention rule. Resumes an interrupted run; records its summary in the audit
    trail when it completes."""
    problems = retention_problems()
    if problems:
        raise RetentionConfigError("; ".join(problems))
    progress = progress or Progress()
    # An explicit batch size (tests, --batch-size) is kept fixed; otherwise the setting is the
    # first batch's size and later ones adapt towards LEARNWARD_RETENTION_BATCH_TARGET_MS.
    target_ms = 0.0 if batch_size else float(settings.RETENTION_BATCH_TARGET_MS)
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    with _run_lock():
        retention_record_period_changes(actor=actor)
        run = _start_or_resume(now or timezone.now())
        pause = getattr(settings, "RETENTION_BATCH_PAUSE_MS", 0) / 1000
        runner = _Runner(run, batch_size, progress, pause, target_ms)
        now = run.reference_time
        periods = effective_periods()
        held = held_subject_ids()
        try:
            for table, column, through in _partitioned_tables(now):
                partitions.ensure_partitions(table, column, through=through)
            for rule in retention_rules():
                if rule.is_account_rule:
                    retention_accounts.run_accounts(runner, rule, periods[rule.key], now, held)
                else:
                    _run_rule(runner, rule, periods[rule.key], now, held)
        except BaseException as exc:
            RetentionRun.objects.filter(pk=run.pk).update(
                last_error=f"{type(exc).__name__} at batch {run.batches + 1}"
            )
            raise
        with transaction.atomic():
            run.status = RetentionRun.Status.COMPLETED
            run.finished_at = timezone.now()
            run.save()
            audit_record(action=Action.RETENTION_RUN, actor=actor, target=run, payload=summary(run))
            # What was deleted or anonymised must not stay readable in the database files:
            # VACUUM those tables in the next daily run (PostgreSQL); checkpoint the WAL (SQLite).
            vacuum_record(_tables_processed(run))
            transaction.on_commit(sqlite_checkpoint)
    return run


def _tables_processed(run: RetentionRun) -> list[str]:
    from django.apps import apps

    tables = []
    for key, stats in run.stats.items():
        if stats.get("processed") or stats.get("partitions_dropped"):
            with contextlib.suppress(LookupError):
                tables.append(apps.get_model(key)._meta.db_table)
    return tables


def _partitioned_tables(now: datetime) -> list[tuple[str, str, datetime]]:
    from django.apps import apps

    ahead = getattr(settings, "RETENTION_PARTITION_MONTHS_AHEAD", 3)
    result = []
    for label, column in partitions.PARTITIONED_MODELS.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        result.append((model._meta.db_table, column, partitions.add_months(now, ahead)))
    return result


def summary(run: RetentionRun) -> dict:
    """The run's summary for the audit trail: counts only, never personal data."""
    return {
        "run": run.pk,
        "reference_time": run.reference_time.isoformat(),
        "attempts": run.attempts,
        "batches": run.batches,
        "rules": {
            key: {
                "action": s["action"],
                "processed": s["processed"],
                **(
                    {"partitions_dropped": s["partitions_dropped"]}
                    if s.get("partitions_dropped")
                    else {}
                ),
                **(
                    {"rows_estimated_in": s["rows_estimated_in"]}
                    if s.get("rows_estimated_in")
                    else {}
                ),
                **({"warnings_sent": s["warnings_sent"]} if s.get("warnings_sent") else {}),
            }
            for key, s in sorted(run.stats.items())
        },
    }
