"""Time to build the council's report from a ReportData: charts, DOCX, HTML and Markdown.

Run: ``python -m benchmarks.report [--rounds 4] [--themes 15] [--voters 20] [--n 5]``. The data is
made up (no database): the cost is matplotlib and python-docx. Prints medians; machines here are
noisy, compare within one run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date

from bot.documents.report.charts import round_charts
from bot.documents.report.docx_writer import build_docx
from bot.documents.report.html import build_html
from bot.documents.report.markdown import build_markdown
from bot.render import Texts
from method.voting import tally_round
from storage.records import ReportData, ReportGoal, ReportMembers, ReportRound, ReportTheme


def sample(rounds: int, themes: int, voters: int) -> ReportData:
    generator = random.Random(7)
    names = {i: f"Thema {i} met een wat langere naam" for i in range(1, themes + 1)}
    made = []
    for number in range(1, rounds + 1):
        ballots = {f"v{v}": {t: generator.choice((1, 2, 3)) for t in names} for v in range(voters)}
        made.append(
            ReportRound(
                number,
                "round",
                voters,
                voters,
                voters,
                False,
                0.4,
                tally_round(ballots, themes=tuple(names)),
                names,
                {i: i for i in names},
                False,
                (),
                (),
            )
        )
    goals = tuple(
        ReportGoal(
            i,
            1,
            names[1],
            "approved",
            "Specifiek " * 10,
            "indicator",
            "10%",
            "50%",
            "dienst",
            "budget",
            "2028",
            "2027",
            ("no_baseline",),
            True,
        )
        for i in range(1, 10)
    )
    return ReportData(
        organisation="Gemeente Zottegem",
        title="Kopgroep",
        language="nl",
        timezone="Europe/Brussels",
        on=date(2026, 12, 20),
        with_names=False,
        members=ReportMembers(voters, 1, 0, None),
        themes=tuple(ReportTheme(i, n, None, "candidate", (12,), 2.5, None) for i, n in names.items()),
        rounds=tuple(made),
        parked=(),
        dreams_published=None,
        dreams=(),
        goals=goals,
        digests=(),
        decisions=(),
        evaluation=None,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--themes", type=int, default=15)
    parser.add_argument("--voters", type=int, default=20)
    parser.add_argument("--n", type=int, default=5)
    args = parser.parse_args()
    texts, data = Texts(), sample(args.rounds, args.themes, args.voters)
    round_charts(data, texts, "nl")  # matplotlib's import and font cache: once, not measured
    timings: dict[str, list[float]] = {"charts": [], "docx": [], "html": [], "markdown": []}
    for _ in range(args.n):
        start = time.perf_counter()
        charts = round_charts(data, texts, "nl")
        timings["charts"].append(time.perf_counter() - start)
        for name, build in (("docx", build_docx), ("html", build_html), ("markdown", build_markdown)):
            start = time.perf_counter()
            build(data, texts, "nl", charts)
            timings[name].append(time.perf_counter() - start)
    print(f"{args.rounds} rounds x {args.themes} themes x {args.voters} voters, median of {args.n}:")
    for name, values in timings.items():
        print(f"  {name:9s} {statistics.median(values) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
