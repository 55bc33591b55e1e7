"""The voting charts for the report: the same bar chart the group saw after each round."""

from __future__ import annotations

from bot.documents.chart import ChartLabels, render_chart
from bot.documents.report.outline import MIN_VOTERS_FOR_FIGURES
from bot.render import Texts
from method.followup import STATUSES
from storage.records import ReportData


def round_charts(data: ReportData, texts: Texts, lang: str) -> dict[int, bytes]:
    """A PNG per closed round with enough voters to show figures, keyed by round number.

    Matplotlib takes ~0.2 s per chart: callers run this off the event loop (asyncio.to_thread).
    """
    charts = {}
    for round_ in data.rounds:
        if round_.submitted < MIN_VOTERS_FOR_FIGURES or not round_.tally.themes:  # type: ignore[attr-defined]
            continue
        labels = ChartLabels(
            **{
                field: texts.label(lang, f"voting.chart.{field}", number=round_.number)
                for field in ChartLabels.__dataclass_fields__
            }
        )
        charts[round_.number] = render_chart(
            round_.tally,  # type: ignore[arg-type]
            round_.names,
            highlighted=set(round_.highlighted),
            labels=labels,
        )
    return charts


def followup_chart(data: ReportData, texts: Texts, lang: str) -> bytes:
    """The follow-up chart the group sees with /voortgang: each goal's path and its reports."""
    from bot.documents.progress_chart import render_progress

    words = {status: texts.label(lang, f"followup.status.{status}") for status in STATUSES}
    words.update(path=texts.label(lang, "followup.chart.path"), reported=texts.label(lang, "followup.chart.reported"))
    return render_progress(data.followup, words)
