"""The bar chart of a voting round: per theme, how many gave 1, 2 and 3. PNG bytes, no Telegram.

One horizontal stacked bar per theme, best ranked on top, named as the results text names it
("2. Duurzaam aankopen"), the full name wrapped on up to four lines. Sized for a phone: Telegram
shows the picture about 400 px wide, where the names are still 12 px high. Matplotlib's object API with the Agg
canvas only (a ``Figure`` of our own, never pyplot and never a global rcParams change), so it
is safe in worker threads. Matplotlib is imported on the first render, once: importing this
module (the bot does at start-up) stays cheap. Texts come from the caller in the group's
language, see :class:`ChartLabels`.

Speed: the layout is computed in inches from measured label widths (no ``tight_layout``), the
bars of one score are one ``PolyCollection`` and the theme names are plain texts rather than
axis ticks; 30 themes x 20 voters take ~0.15 s on a small 2-core machine.
"""

from __future__ import annotations

import gc
import io
import textwrap
from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields
from functools import cache
from types import SimpleNamespace

from method.voting.tally import RoundTally

# Colour-blind-safe (Okabe-Ito, ordered by lightness so it also reads in grey): 1 light grey,
# 2 sky blue, 3 the strongest, dark blue. Count texts: black on the light two, white on blue.
COLOURS = {1: "#C8C8C8", 2: "#56B4E9", 3: "#0072B2"}
TEXT_ON = {1: "black", 2: "black", 3: "white"}
MAX_LABEL = 40  # characters of a name in one line elsewhere (short_name), the ellipsis included
WRAP = 32  # characters per line of a theme's name on the chart
MAX_LINES = 4  # lines of a name (120 characters, the longest a theme name may be); a longer one ends in an ellipsis
MARK = "★ "  # before a highlighted theme's name; the caller's highlight note shows the same star
# Explicit direction controls would let a name reorder its neighbours (or the star); the
# bidi algorithm lays out Arabic and Hebrew well without them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
FONT = "DejaVu Sans"  # ships with matplotlib, so coverage (and layout) is the same everywhere

DPI = 150
WIDTH = 6.0  # inches: 900 px; shown ~400 px wide on a phone, so 13 pt stays ~12 px high there
LINE = 0.22  # inches per line of a theme's name
ROW_PAD = 0.16  # inches between two themes
LABEL_PT, COUNT_PT, TITLE_PT, LEGEND_PT, TICK_PT = 13.0, 12.0, 16.0, 12.0, 12.0
EDGE = 0.15  # inches between the picture's left edge and the title, legend and longest name
GAP = 0.08  # inches between a name and its bar
RIGHT = 0.3  # inches right of the longest bar
BOTTOM = 0.8  # inches for the tick numbers and the axis label
LEGEND_TOP = 0.55  # inches from the top to the first legend row
LEGEND_ROW = 0.3
MAX_LEFT = 0.6  # share of the width the names may take at most


@dataclass(frozen=True)
class ChartLabels:
    """The texts on the chart, in the group's language (shown literally, ``$`` included)."""

    title: str  # e.g. "Stemronde 2"
    score_1: str  # legend, e.g. "1 (laag)"
    score_2: str  # legend, e.g. "2"
    score_3: str  # legend, e.g. "3 (hoogste prioriteit)"
    axis: str  # the x axis, e.g. "aantal stemmen"
    highlight: str  # what a marked theme means, e.g. "★ gekozen of nog in het spel"


@cache
def _mpl() -> SimpleNamespace:
    """Matplotlib, imported on first use (the import lock makes a race between threads harmless)."""
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import MaxNLocator

    # Matplotlib's import leaves ~100,000 long-lived objects that every full garbage collection
    # would walk again, and drawing a chart allocates enough to trigger several: freezing what
    # exists now halves the time per chart (benchmarks/close_round.py, docs/performance.md).
    gc.collect()
    gc.freeze()
    return SimpleNamespace(
        FigureCanvasAgg=FigureCanvasAgg,
        Figure=Figure,
        FontProperties=font_manager.FontProperties,
        MaxNLocator=MaxNLocator,
        PolyCollection=PolyCollection,
        Rectangle=Rectangle,
        font_manager=font_manager,
    )


@cache
def _drawable() -> frozenset[int]:
    """Code points both the regular and the bold font have a glyph for, direction controls excepted."""
    mpl = _mpl()
    charmaps = []
    for weight in ("normal", "bold"):
        path = mpl.font_manager.findfont(mpl.FontProperties(family=FONT, weight=weight))
        charmaps.append(set(mpl.font_manager.get_font(path).get_charmap()))
    return frozenset(charmaps[0] & charmaps[1]) - {ord(ch) for ch in BIDI_CONTROLS}


def drawable(text: str) -> str:
    """``text`` on one line, without characters the font cannot draw (emoji would be boxes).
    Right-to-left text stays: matplotlib lays it out (shaping and direction)."""
    glyphs = _drawable()
    return " ".join("".join(ch for ch in text if ord(ch) in glyphs or ch.isspace()).split())


def short_name(name: str, limit: int = MAX_LABEL) -> str:
    """:func:`drawable` ``name``, cut to ``limit`` characters with an ellipsis."""
    name = drawable(name)
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def name_lines(rank: int, name: str) -> list[str]:
    """A theme's label as the results text has it ("2. Duurzaam aankopen"), wrapped; never cut
    mid-word, and only a name longer than the lines allow ends in an ellipsis."""
    text = f"{rank}. {drawable(name)}" if drawable(name) else f"{rank}."
    lines = textwrap.wrap(text, WRAP, break_long_words=True) or [text]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][: WRAP - 1].rstrip() + "…"
    return lines


def render_chart(
    tally: RoundTally,
    names: Mapping[int, str],
    *,
    highlighted: Collection[int] = (),
    labels: ChartLabels,
    scale: float = 1.0,
) -> bytes:
    """A PNG (900 px wide, 57-156 px more per theme as names take one to four lines) of ``tally``:
    a stacked bar of 1s, 2s and 3s per theme in rank order, best on top, each named "rank. name";
    themes in ``highlighted`` get a bold name and a star.
    ``scale`` multiplies the pixels, not the layout: the same picture, sharp on a big screen.

    A theme missing from ``names`` (or whose name has nothing drawable) shows as ``#id``; a theme
    nobody scored gets an empty row. Safe to call from several threads at once.
    """
    mpl = _mpl()
    labels = ChartLabels(**{field.name: drawable(getattr(labels, field.name)) for field in fields(ChartLabels)})
    themes = tally.themes
    marked = {t.theme_id for t in themes} & set(highlighted)
    texts = []
    for t in themes:
        lines = name_lines(t.rank, names.get(t.theme_id, "") or f"#{t.theme_id}")
        if t.theme_id in marked:  # the left-to-right mark keeps the star left of a right-to-left name too
            lines[0] = f"\u200e{MARK}{lines[0]}"
        texts.append("\n".join(lines))
    # Each theme's row as high as its name's lines; y runs in inches up from the axes' bottom.
    heights = [(text.count("\n") + 1) * LINE + ROW_PAD for text in texts] or [LINE + ROW_PAD]
    rows_height = sum(heights)
    centres = [rows_height - sum(heights[:i]) - heights[i] / 2 for i in range(len(texts))]
    half_bar = 0.14  # inches: bars as thick whatever the names' lines

    figure = mpl.Figure(figsize=(WIDTH, 1.0), dpi=DPI, facecolor="white")
    canvas = mpl.FigureCanvasAgg(figure)
    inch = figure.dpi_scale_trans

    def font(size: float, bold: bool = False):
        return mpl.FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")

    # Legend: three swatches, then the highlight note (on a row of its own if it does not fit).
    legend_prop = font(LEGEND_PT)
    measure = canvas.get_renderer().get_text_width_height_descent
    swatch_w, swatch_h, after_swatch, between = 0.2, 0.12, 0.06, 0.22
    items: list[tuple[int, float, str | None, str]] = []  # (row, x, colour, text)
    x, row = EDGE, 0
    for score in (1, 2, 3):
        text = getattr(labels, f"score_{score}")
        width = swatch_w + after_swatch + measure(text, legend_prop, ismath=False)[0] / DPI
        if x > EDGE and x + width > WIDTH - EDGE:
            x, row = EDGE, row + 1
        items.append((row, x, COLOURS[score], text))
        x += width + between
    if marked and labels.highlight:
        if x + measure(labels.highlight, legend_prop, ismath=False)[0] / DPI > WIDTH - EDGE:
            x, row = EDGE, row + 1
        items.append((row, x, None, labels.highlight))
    top = LEGEND_TOP + (row + 1) * LEGEND_ROW + 0.1

    # The final size first: names measured with the final renderer are not measured again.
    height = top + rows_height + BOTTOM
    figure.set_size_inches(WIDTH, height)
    renderer = canvas.get_renderer()
    axes = figure.add_axes((0.5, BOTTOM / height, 0.4, rows_height / height))

    # Theme names as plain texts left of the axes (cheaper than 40 ticks); the left margin
    # follows the widest. A name too wide for MAX_LEFT even at 40 characters is cut further.
    name_props = {False: font(LABEL_PT), True: font(LABEL_PT, bold=True)}
    name_texts = [
        axes.text(
            0.0,
            centres[i],
            text,
            transform=axes.get_yaxis_transform(),
            ha="right",
            va="center",
            fontproperties=name_props[t.theme_id in marked],
            parse_math=False,
            linespacing=1.15,
        )
        for i, (text, t) in enumerate(zip(texts, themes, strict=True))
    ]
    room = MAX_LEFT * WIDTH - EDGE - GAP
    widths = [n.get_window_extent(renderer).width / DPI for n in name_texts]
    for n, width in zip(name_texts, widths, strict=True):
        if width > room:  # only wide letters get here (say 26 W's on a line)
            keep = room / width
            n.set_text("\n".join(
                line if len(line) * keep >= len(line) - 1 else line[: max(1, int(len(line) * keep) - 1)].rstrip() + "…"
                for line in n.get_text().split("\n")
            ))
    widest = min(room, max(widths, default=0.0))
    left = max(EDGE + widest + GAP, 0.6)
    plot_w = WIDTH - left - RIGHT
    axes.set_position((left / WIDTH, BOTTOM / height, plot_w / WIDTH, rows_height / height))
    for n in name_texts:
        n.set_x(-GAP / plot_w)

    # Title and legend, placed in inches from the top left.
    figure.text(
        EDGE,
        height - 0.12,
        labels.title,
        transform=inch,
        ha="left",
        va="top",
        parse_math=False,
        fontproperties=font(TITLE_PT, bold=True),
    )
    for item_row, x, colour, text in items:
        y = height - LEGEND_TOP - item_row * LEGEND_ROW
        if colour is not None:
            figure.add_artist(
                mpl.Rectangle(
                    (x, y - swatch_h / 2), swatch_w, swatch_h, transform=inch, facecolor=colour, edgecolor="none"
                )
            )
            x += swatch_w + after_swatch
        figure.text(
            x, y, text, transform=inch, ha="left", va="center_baseline", parse_math=False, fontproperties=legend_prop
        )

    # The bars: one collection per score; rank 1 on the top row.
    most = max([t.ones + t.twos + t.threes for t in themes] + [1])
    px_per_vote = plot_w * DPI / most
    digit_px = 0.62 * COUNT_PT * DPI / 72
    count_prop = font(COUNT_PT)
    starts = [0] * len(themes)
    for score, field in ((1, "ones"), (2, "twos"), (3, "threes")):
        boxes = []
        for i, t in enumerate(themes):
            count = getattr(t, field)
            if not count:
                continue
            x0, x1, y = starts[i], starts[i] + count, centres[i]
            boxes.append(((x0, y - half_bar), (x0, y + half_bar), (x1, y + half_bar), (x1, y - half_bar)))
            if count * px_per_vote >= len(str(count)) * digit_px + 5:
                axes.text(
                    (x0 + x1) / 2,
                    y,
                    str(count),
                    ha="center",
                    va="center",
                    color=TEXT_ON[score],
                    fontproperties=count_prop,
                    parse_math=False,
                )
            starts[i] = x1
        axes.add_collection(
            mpl.PolyCollection(boxes, facecolors=COLOURS[score], edgecolors="white", linewidths=0.8), autolim=False
        )

    axes.set_xlim(0, most * 1.01)
    axes.set_ylim(0, rows_height)
    axes.set_yticks([])
    axes.xaxis.set_major_locator(mpl.MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    axes.tick_params(axis="x", labelsize=TICK_PT, length=3)
    axes.grid(axis="x", color="#E4E4E4", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xlabel(labels.axis, fontproperties=font(LABEL_PT), parse_math=False)

    buffer = io.BytesIO()
    figure.savefig(
        buffer, format="png", dpi=DPI * scale, facecolor="white", metadata={"Software": None}, pil_kwargs={"compress_level": 3}
    )
    return buffer.getvalue()
