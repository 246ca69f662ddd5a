"""A person's record as a small SVG timeline: posts held as bars, accountability events as marks.

Computed here as plain geometry and drawn by a template, so the chart needs no JavaScript and no build step.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from accountability.models import AccountabilityEvent, Term

WIDTH = 640
LEFT = 24
RIGHT = 24
ROW_HEIGHT = 36
TOP = 8
AXIS_HEIGHT = 22
MARK_SPACING = 13


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    label: str
    is_open: bool

    @property
    def label_x(self) -> float:
        return self.x + 4

    @property
    def label_y(self) -> float:
        return self.y + 12


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    label: str
    kind: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass
class TimelineChart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    axis_y: float = 0.0
    description: str = ""

    @property
    def tick_label_y(self) -> float:
        return self.axis_y + 14


def _fraction_of_year(day: datetime.date) -> float:
    start = datetime.date(day.year, 1, 1)
    return day.year + (day - start).days / 365.25


def person_timeline_chart(
    *, terms: Sequence[Term], events: Sequence[AccountabilityEvent], today: datetime.date | None = None
) -> TimelineChart | None:
    """None when there is nothing to draw. Each post held is a row; events sit on the row of their post."""
    if not terms and not events:
        return None
    today = today or datetime.date.today()
    days = [term.started_on for term in terms] + [term.ended_on or today for term in terms]
    days += [event.occurred_on for event in events]
    first_year = min(days).year
    last_year = max(days).year + 1
    span = max(last_year - first_year, 1)

    def x_of(day: datetime.date) -> float:
        return LEFT + (_fraction_of_year(day) - first_year) / span * (WIDTH - LEFT - RIGHT)

    rows = {term.post_id: index for index, term in enumerate(sorted(terms, key=lambda term: term.started_on))}
    chart = TimelineChart(width=WIDTH, height=0)
    for term in terms:
        y = TOP + rows[term.post_id] * ROW_HEIGHT
        end = term.ended_on or today
        chart.bars.append(
            Bar(
                x_of(term.started_on),
                y,
                max(x_of(end) - x_of(term.started_on), 2.0),
                term.post.title,
                not term.ended_on,
            )
        )
    taken: dict[tuple[int, int], int] = {}
    for event in sorted(events, key=lambda event: event.occurred_on):
        row = rows.get(event.post_id, 0)
        x = x_of(event.occurred_on)
        slot = (row, round(x / MARK_SPACING))
        nudge = taken.get(slot, 0)  # events on the same day sit side by side, not on top of each other
        taken[slot] = nudge + 1
        chart.marks.append(
            Mark(x + nudge * MARK_SPACING, TOP + row * ROW_HEIGHT + 24, event.get_kind_display(), event.kind)
        )
    chart.axis_y = TOP + max(len(rows), 1) * ROW_HEIGHT + 4
    chart.height = int(chart.axis_y + AXIS_HEIGHT)
    step = 1 if span <= 8 else 2 if span <= 16 else 5
    chart.ticks = [Tick(x_of(datetime.date(year, 1, 1)), str(year)) for year in range(first_year, last_year + 1, step)]
    chart.description = "; ".join(
        [f"{term.post.title} {term.started_on.year}-{term.ended_on.year if term.ended_on else ''}" for term in terms]
        + [f"{event.get_kind_display()} {event.occurred_on.isoformat()}" for event in events]
    )
    return chart
