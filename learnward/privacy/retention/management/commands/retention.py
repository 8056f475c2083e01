import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from learnward.core.i18n import resolved
from learnward.privacy.retention import services as retention
from learnward.privacy.retention.services import RetentionBusy, RetentionConfigError


class _RichProgress(retention.Progress):
    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.task = None

    def start(self, key, label, total):
        self.task = self.bar.add_task(f"{key}", total=max(total, 0))

    def advance(self, n):
        self.bar.advance(self.task, n)

    def finish(self, key):
        task = self.bar.tasks[-1]
        self.bar.update(self.task, total=max(task.completed, task.total or 0))


class _LineProgress(retention.Progress):
    def __init__(self, write) -> None:
        self.write = write
        self.done = 0

    def start(self, key, label, total):
        self.done = 0
        self.write(_("%(rule)s: %(count)s row(s) due") % {"rule": key, "count": total})

    def advance(self, n):
        self.done += n

    def finish(self, key):
        self.write(_("%(rule)s: %(count)s row(s) done") % {"rule": key, "count": self.done})


class Command(BaseCommand):
    help = (
        "Apply the registry's retention rules: delete or anonymise what is past its period, "
        "warn learners whose accounts are due for deletion. --dry-run says what would happen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print, per model and rule, the rows due and the action; change nothing.",
        )
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument("--batch-size", type=int, default=None)

    def handle(self, *args, **options):
        try:
            if options["dry_run"]:
                return self.dry_run(options["format"])
            return self.execute_run(options)
        except (RetentionConfigError, RetentionBusy) as exc:
            raise CommandError(str(exc)) from exc

    def dry_run(self, fmt: str) -> None:
        problems = retention.retention_problems()
        if problems:
            raise RetentionConfigError("; ".join(problems))
        plans = retention.retention_plan()
        if fmt == "json":
            self.stdout.write(json.dumps(resolved([p.as_dict() for p in plans]), indent=2))
            return
        console = Console(file=self.stdout, width=180, soft_wrap=False)
        table = Table(title=_("Retention dry run: nothing has been changed"))
        for column in (_("Model"), _("Rule"), _("Due"), _("Action"), _("Kept, and why")):
            table.add_column(column, overflow="fold")
        for plan in plans:
            if plan.action == "keep":
                table.add_row(plan.key, _("no retention rule"), "0", "keep", str(plan.description))
                continue
            action = plan.action
            if plan.partitions:
                action += _(" (%(count)s partition(s) dropped whole)") % {
                    "count": len(plan.partitions)
                }
            if plan.warnings_to_send:
                action += _("; warn %(count)s learner(s) by email") % {
                    "count": plan.warnings_to_send
                }
            kept = "; ".join(
                f"{k.count if k.count is not None else _('all')}: {k.reason}" for k in plan.keeps
            )
            rule = _("%(description)s [%(months)s months, %(source)s]") % {
                "description": plan.description,
                "months": plan.months,
                "source": plan.source,
            }
            table.add_row(plan.key, rule, str(plan.due), action, kept)
        console.print(table)

    def execute_run(self, options) -> None:
        if self.stdout.isatty():
            console = Console(file=self.stdout._out)
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
            ) as bar:
                run = retention.retention_run(
                    batch_size=options["batch_size"], progress=_RichProgress(bar)
                )
        else:
            run = retention.retention_run(
                batch_size=options["batch_size"], progress=_LineProgress(self.stdout.write)
            )
        summary = retention.summary(run)
        for key, stats in summary["rules"].items():
            if stats["processed"] or stats.get("warnings_sent"):
                extra = ""
                if stats.get("partitions_dropped"):
                    extra += _(", partitions dropped: %(partitions)s") % {
                        "partitions": ", ".join(stats["partitions_dropped"])
                    }
                if stats.get("rows_estimated_in"):
                    extra += _(
                        " (rows in %(partitions)s estimated from PostgreSQL's statistics, not "
                        "counted)"
                    ) % {"partitions": ", ".join(stats["rows_estimated_in"])}
                if stats.get("warnings_sent"):
                    extra += _(", warnings sent: %(count)s") % {"count": stats["warnings_sent"]}
                self.stdout.write(f"{key}: {stats['action']} {stats['processed']}{extra}")
        self.stdout.write(
            _(
                "Retention run %(run)s completed in %(batches)s batch(es); longest batch "
                "%(ms)s ms. Summary recorded in the audit trail."
            )
            % {"run": run.pk, "batches": run.batches, "ms": f"{run.longest_batch_ms:.0f}"}
        )
