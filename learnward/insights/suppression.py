"""Small-count suppression: what the dashboard and its CSV exports may show.

The rule, with N = ``LEARNWARD_INSIGHTS_MIN_COUNT`` (default 5); docs/insights.md explains it:

1. A count from 1 to N-1 is shown as "fewer than N" ("<N" in CSV). Zero is shown as 0.
2. A total is shown only when none of the cells it adds up is suppressed; otherwise the total
   is "not shown". Shown cells are each 0 or at least N, so a shown total is too, and a total
   can never be used to subtract its way back to a suppressed cell.
3. Where parts add up to a whole that is shown (passed + did not pass = learners), a suppressed
   part hides the other part as well ("not shown"); otherwise whole minus part gives it back.
4. A rate is shown only for a group of at least N. A pass rate is a count in disguise (rate x
   learners = passes), so it is also withheld whenever a pass or non-pass count is suppressed.

A suppressed cell does not carry its true value at all, so no template or export can leak it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _


def min_count() -> int:
    return settings.INSIGHTS_MIN_COUNT


class State(StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # a count from 1 to N-1
    HIDDEN = "hidden"  # withheld to protect another cell, or a rate of a small group


class Kind(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    AVERAGE = "average"


@dataclass(frozen=True)
class Cell:
    value: float | None  # None unless shown
    state: State
    threshold: int
    kind: Kind = Kind.COUNT

    @property
    def shown(self) -> bool:
        return self.state == State.SHOWN

    @property
    def suppressed(self) -> bool:
        return self.state != State.SHOWN

    @property
    def text(self) -> str:
        """What the page shows, in the active language ("1,234", "1.234", "1 234"); the CSV
        keeps its own machine format (:attr:`csv`)."""
        if self.state == State.SMALL:
            return _("fewer than %(count)s") % {"count": self.threshold}
        if self.state == State.HIDDEN:
            return _("not shown")
        if self.kind == Kind.PERCENT:
            return _("%(percent)s%%") % {"percent": number_format(round(self.value), 0)}
        if self.kind == Kind.AVERAGE:
            return number_format(self.value, 1)
        return number_format(int(self.value), force_grouping=True)

    @property
    def short(self) -> str:
        """The label drawn on a chart, where space is short."""
        if self.state == State.SMALL:
            return f"<{self.threshold}"
        if self.state == State.HIDDEN:
            return _("not shown")
        return self.text

    @property
    def csv(self) -> str:
        if self.state == State.SMALL:
            return f"<{self.threshold}"
        if self.state == State.HIDDEN:
            return "suppressed"
        if self.kind == Kind.PERCENT:
            return f"{self.value:.1f}"
        if self.kind == Kind.AVERAGE:
            return f"{self.value:.2f}"
        return str(int(self.value))


def count(n: int, *, threshold: int | None = None) -> Cell:
    threshold = threshold or min_count()
    if 0 < n < threshold:
        return Cell(None, State.SMALL, threshold)
    return Cell(n, State.SHOWN, threshold)


def hidden(*, threshold: int | None = None, kind: Kind = Kind.COUNT) -> Cell:
    return Cell(None, State.HIDDEN, threshold or min_count(), kind)


def hide(cell: Cell) -> Cell:
    """Withhold a shown cell to protect a suppressed one (rule 3)."""
    return cell if cell.suppressed else hidden(threshold=cell.threshold, kind=cell.kind)


def total(cells: Iterable[Cell], *, threshold: int | None = None) -> Cell:
    """The sum of ``cells``, or "not shown" if any of them is suppressed (rule 2)."""
    cells = list(cells)
    threshold = threshold or min_count()
    if any(cell.suppressed for cell in cells):
        return hidden(threshold=threshold)
    return count(int(sum(cell.value for cell in cells)), threshold=threshold)


def parts_of_whole(whole: int, parts: list[int], *, threshold: int | None = None) -> list[Cell]:
    """Cells for the whole followed by its parts, with complementary suppression (rule 3).

    When the whole itself is small, the parts are hidden too: each is below N anyway, and
    showing a 0 beside "fewer than N" would tell that every one of those few did the other.
    """
    threshold = threshold or min_count()
    whole_cell = count(whole, threshold=threshold)
    cells = [count(p, threshold=threshold) for p in parts]
    if whole_cell.suppressed:
        return [whole_cell, *(hidden(threshold=threshold) for _ in parts)]
    if any(c.suppressed for c in cells):
        cells = [hide(c) for c in cells]
    return [whole_cell, *cells]


def rate(
    numerator: float,
    group: int,
    *,
    kind: Kind,
    depends_on: Iterable[Cell] = (),
    threshold: int | None = None,
) -> Cell:
    """``numerator / group`` (times 100 for a percentage), or "not shown" for a group smaller
    than N or when a count the rate would reveal is suppressed (rule 4)."""
    threshold = threshold or min_count()
    if group < threshold or any(c.suppressed for c in depends_on):
        return hidden(threshold=threshold, kind=kind)
    value = numerator / group
    if kind == Kind.PERCENT:
        value *= 100
    return Cell(value, State.SHOWN, threshold, kind)
