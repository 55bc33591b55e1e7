"""The bar chart of a voting round: per theme, how many gave 1, 2 and 3. PNG bytes, no Telegram.

Matplotlib's object API with the Agg canvas only (no pyplot state), so it is safe in a worker
thread. Labels come from the caller in the group's language.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.voting.tally import RoundTally

# Colour-blind-safe (Okabe-Ito): 1 grey-blue, 2 sky blue, 3 the strongest, blue-green.
COLOURS = {1: "#BBBBBB", 2: "#56B4E9", 3: "#009E73"}
MAX_LABEL = 40


@dataclass(frozen=True)
class ChartLabels:
    title: str  # e.g. "Stemronde 2"
    score_1: str
    score_2: str
    score_3: str
    axis: str  # e.g. "aantal stemmen"
    highlight: str  # what a marked theme means, e.g. "★ nog in het spel"


def _short(name: str) -> str:
    # Emoji and other characters beyond the font's reach would show as boxes.
    name = " ".join("".join(ch for ch in name if ord(ch) <= 0xFFFF).split())
    return name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "…"


def render_chart(
    tally: RoundTally, names: Mapping[int, str], *, highlighted: Collection[int] = (), labels: ChartLabels
) -> bytes:
    """A horizontal stacked bar per theme, best ranked on top; marked themes get a star."""
    themes = list(tally.themes)
    marked = set(highlighted)
    texts = [("★ " if t.theme_id in marked else "") + _short(names.get(t.theme_id, f"#{t.theme_id}")) for t in themes]
    rows = max(1, len(themes))
    width, height = 7.3, 1.9 + 0.38 * rows
    figure = Figure(figsize=(width, height), dpi=110)
    FigureCanvasAgg(figure)
    # Margins computed from the longest label: tight_layout would cost more than the drawing.
    longest = max((len(text) for text in texts), default=10)
    figure.subplots_adjust(left=min(0.52, (0.3 + 0.08 * longest) / width), right=0.96, top=1 - 0.55 / height, bottom=1.15 / height)
    axes = figure.add_subplot()
    positions = list(range(len(themes)))[::-1]  # rank 1 at the top
    left = [0] * len(themes)
    for score, count_of in ((1, "ones"), (2, "twos"), (3, "threes")):
        counts = [getattr(t, count_of) for t in themes]
        bars = axes.barh(positions, counts, left=left, color=COLOURS[score], edgecolor="white", height=0.7,
                         label=getattr(labels, f"score_{score}"))
        for bar, count in zip(bars, counts, strict=True):
            if count and bar.get_width() >= 0.8:
                axes.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, str(count),
                          ha="center", va="center", fontsize=8, color="black" if score != 3 else "white")
        left = [a + b for a, b in zip(left, counts, strict=True)]
    axes.set_yticks(positions)
    axes.set_yticklabels(texts, fontsize=9)
    for tick, theme in zip(axes.get_yticklabels(), themes, strict=True):
        if theme.theme_id in marked:
            tick.set_fontweight("bold")
    most = max([sum((t.ones, t.twos, t.threes)) for t in themes] + [1])
    axes.set_xlim(0, most * 1.02)
    axes.set_xlabel(labels.axis, fontsize=9)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(labels.title, fontsize=11, loc="left", fontweight="bold")
    handles, legend_texts = axes.get_legend_handles_labels()
    if marked:
        from matplotlib.patches import Patch

        handles.append(Patch(visible=False))
        legend_texts.append(labels.highlight)
    figure.legend(handles, legend_texts, loc="lower left", fontsize=8, frameon=False, ncols=4, bbox_to_anchor=(0.01, 0.0))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
