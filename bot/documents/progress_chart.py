"""The follow-up chart: per goal, the path from start value to target and the values reported.

One small panel per goal (two columns on a phone-wide picture), the dashed line the path from the
start value on the day follow-up started to the target on the deadline, the dots and solid line
what the owner reported, the panel's title in the colour of its status. PNG bytes, no Telegram;
matplotlib's object API only, as bot/documents/chart.py.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from datetime import timedelta

from bot.documents.chart import DPI, FONT, _mpl, drawable
from storage.records.followup import FollowedGoal

# Okabe-Ito, as the voting chart: blue on time, orange behind, green done, grey no report.
STATUS_COLOURS = {
    "on_track": "#0072B2",
    "behind": "#D55E00",
    "done": "#009E73",
    "no_report": "#777777",
    "unknown": "#777777",
}
WIDTH = 6.0  # inches, 900 px
PANEL_HEIGHT = 2.3
MAX_PANELS = 12


def render_progress(goals: Sequence[FollowedGoal], words: Mapping[str, str]) -> bytes:
    """``words``: "path", "reported" (legend) and one per status (the panel's subtitle)."""
    mpl = _mpl()
    shown = list(goals)[:MAX_PANELS]
    columns = 1 if len(shown) == 1 else 2
    rows = (len(shown) + columns - 1) // columns
    figure = mpl.Figure(figsize=(WIDTH, PANEL_HEIGHT * rows + 0.5), dpi=DPI)
    mpl.FigureCanvasAgg(figure)
    for index, goal in enumerate(shown):
        axes = figure.add_subplot(rows, columns, index + 1)
        colour = STATUS_COLOURS.get(goal.status, "#777777")
        title = "\n".join(textwrap.wrap(drawable(f"#{goal.number} {goal.theme_name}"), 30)[:2])
        axes.set_title(f"{title}\n{words[goal.status]}", fontsize=10, color=colour, family=FONT, loc="left")
        has_path = goal.start_value is not None and goal.target_value is not None
        if not has_path and not goal.reports:
            # Nothing to draw yet: say so instead of an empty axis.
            axes.text(0.5, 0.5, words[goal.status], ha="center", va="center", fontsize=10, color=colour, family=FONT)
            axes.set_axis_off()
            continue
        start_day = goal.started_on
        end_day = goal.deadline_on or (
            goal.reports[-1].reported_at.date() if goal.reports else start_day + timedelta(days=365)
        )
        if has_path:
            axes.plot(
                [start_day, end_day],
                [goal.start_value, goal.target_value],
                linestyle="--",
                color="#999999",
                label=words["path"],
            )
            axes.axhline(goal.target_value, color="#009E73", linewidth=0.6, alpha=0.6)
        if goal.reports:
            days = [start_day] + [report.reported_at.date() for report in goal.reports]
            first = goal.start_value if goal.start_value is not None else goal.reports[0].value
            values = [first] + [report.value for report in goal.reports]
            axes.plot(days, values, marker="o", color=colour, label=words["reported"])
        if goal.unit:
            axes.set_ylabel(goal.unit, fontsize=9, family=FONT)
        axes.tick_params(labelsize=8)
        for label in axes.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
        locator, formatter = _date_axis()
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(formatter)
    legend: dict[str, object] = {}
    for axes in figure.axes:  # the first panel may have nothing drawn
        for handle, label in zip(*axes.get_legend_handles_labels(), strict=True):
            legend.setdefault(label, handle)
    if legend:
        figure.legend(list(legend.values()), list(legend), loc="lower center", ncol=2, fontsize=9, frameon=False)
    figure.tight_layout(rect=(0, 0.06, 1, 1))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    figure.clear()
    return buffer.getvalue()


def _date_axis() -> tuple[object, object]:
    """At most four ticks, each a month (no month twice)."""
    from matplotlib.dates import AutoDateLocator, DateFormatter

    locator = AutoDateLocator(minticks=2, maxticks=4)
    locator.intervald[3] = [1, 2, 3, 6]  # MONTHLY steps only; days would repeat a month's label
    return locator, DateFormatter("%m/%Y")
