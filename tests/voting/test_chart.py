"""The results chart: a PNG that Telegram accepts, for 0 to 40 themes, with any names, from any thread."""

from __future__ import annotations

import dataclasses
import io
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from bot.documents.chart import (
    COLOURS,
    COUNT_PT,
    DPI,
    LABEL_PT,
    LEGEND_PT,
    MAX_LABEL,
    MAX_LINES,
    TICK_PT,
    WRAP,
    ChartLabels,
    name_lines,
    render_chart,
    short_name,
)
from method.voting import tally_round
from method.voting.tally import RoundTally

LABELS = ChartLabels("Stemronde 2", "1 (laag)", "2", "3 (hoogste prioriteit)", "aantal stemmen", "★ nog in het spel")
ENGLISH = ChartLabels(
    "Voting round 2", "1 (low)", "2", "3 (highest priority)", "number of votes", "★ chosen or still in play"
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def tally(themes: int, voters: int, seed: int = 1) -> RoundTally:
    rng = random.Random(seed)
    return tally_round({f"b{v}": {t: rng.choice((1, 2, 3)) for t in range(1, themes + 1)} for v in range(voters)})


def pixels(png: bytes) -> np.ndarray:
    """The decoded picture, rows x columns x RGB(A), as 0-255 integers."""
    assert png.startswith(PNG_SIGNATURE)
    image = imread(io.BytesIO(png), format="png")
    return np.rint(image * 255).astype(int) if image.dtype.kind == "f" else image.astype(int)


def size(png: bytes) -> tuple[int, int]:
    image = pixels(png)
    return image.shape[1], image.shape[0]


def has_colour(image: np.ndarray, colour: str, run: int = 12) -> bool:
    """A solid patch of ``colour``: ``run`` pixels side by side (a bar or a swatch, not a letter's
    anti-aliased edge, which can hit the same grey by chance)."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    mask = np.all(image[..., :3] == rgb, axis=-1).astype(int)
    runs = np.apply_along_axis(lambda row: np.convolve(row, np.ones(run, dtype=int), mode="valid").max(initial=0), 1, mask)
    return bool((runs >= run).any())


def test_a_png_of_fixed_width_that_grows_with_the_number_of_themes() -> None:
    heights = []
    for count in (1, 2, 10, 30, 40):
        png = render_chart(
            tally(count, 12), {t: f"Thema {t}" for t in range(1, count + 1)}, highlighted={1}, labels=LABELS
        )
        width, height = size(png)
        assert width == 900  # 6 inches at 150 dpi
        assert len(png) < 1_000_000  # sendPhoto takes 10 MB
        heights.append(height)
    assert heights == sorted(set(heights))  # strictly growing
    assert width + heights[-1] <= 10_000 and heights[-1] / width <= 20  # sendPhoto's limits


def test_one_and_forty_themes_with_long_names_and_english_labels() -> None:
    one = render_chart(tally(1, 5), {1: "Enig thema"}, labels=LABELS)
    names = {t: f"Thema {t}: " + "een heel lang verhaal over lokale duurzaamheid " * 3 for t in range(1, 41)}
    forty = render_chart(tally(40, 20), names, highlighted=set(range(1, 41)), labels=ENGLISH)
    assert size(one)[1] * 5 < size(forty)[1]
    assert len(forty) < 1_000_000


def test_awkward_names_do_not_crash() -> None:
    names = {
        1: "🌍 Klimaat " * 10,  # emoji (no glyph: dropped) and far too long
        2: "مرحبا بالعالم",  # Arabic, right to left
        3: "שלום עולם 2030 en meer",  # Hebrew mixed with Latin and digits
        4: "Économie circulaire — réemploi ☀ ñ ø ß",
        5: "a $\\frac{ $ b",  # would be broken mathtext if parsed
        6: "<b>&amp;</b>\x00\t\n\u202e reversed",
        7: "W" * 200,  # the widest letter: cut beyond the 40 characters
        8: "🎉🎉",  # nothing drawable: shown as #8
        9: "",
        # 10 missing from names
    }
    scores = {"a": {1: 3, 2: 1, 3: 2, 4: 3, 5: 1}, "b": {1: 3, 2: 2, 3: 2, 6: 1, 7: 3}}
    png = render_chart(
        tally_round(scores, themes=range(1, 11)),
        names,
        highlighted={2, 3, 7, 8, 99},
        labels=ChartLabels("$x$ 💥", "$", "\\", "{", "}", "$$"),
    )
    assert size(png)[0] > 700 and size(png)[1] > 300


def test_no_themes_and_no_votes() -> None:
    assert size(render_chart(RoundTally(themes=(), ballots=0), {}, labels=LABELS))[1] > 100
    png = render_chart(tally_round({}, themes=(1, 2, 3)), {1: "a", 2: "b", 3: "c"}, highlighted={1}, labels=LABELS)
    assert size(png)[1] > 100


def test_a_theme_without_votes_gets_an_empty_bar() -> None:
    def plot_area(png: bytes) -> np.ndarray:
        return pixels(png)[150:]  # below the title and the legend (whose swatches show every colour)

    voted = render_chart(tally_round({"a": {1: 3}, "b": {1: 3}}), {1: "Thema"}, labels=LABELS)
    empty = render_chart(tally_round({}, themes=(1,)), {1: "Thema"}, labels=LABELS)
    assert has_colour(plot_area(voted), COLOURS[3]) and not has_colour(plot_area(voted), COLOURS[1])
    assert not any(has_colour(plot_area(empty), colour) for colour in COLOURS.values())


def test_highlighting_changes_the_picture() -> None:
    data, names = tally(5, 6), {t: f"Thema {t}" for t in range(1, 6)}
    plain = render_chart(data, names, labels=LABELS)
    assert render_chart(data, names, highlighted={99}, labels=LABELS) == plain  # not in play: nothing to mark
    assert render_chart(data, names, highlighted={3}, labels=LABELS) != plain


def test_names_are_numbered_as_in_the_results_and_wrapped_whole() -> None:
    long = "Toegankelijkheid van de dienstverlening voor iedereen, ook voor mensen met een beperking"
    lines = name_lines(6, long)
    assert " ".join(lines) == f"6. {long}" and all(len(line) <= WRAP for line in lines)
    assert name_lines(1, "Afval") == ["1. Afval"]
    # The longest name a theme may have (120 characters) still fits; only a longer one is cut.
    longest = name_lines(12, "x " * 60)
    assert len(longest) <= MAX_LINES and not longest[-1].endswith("…")
    cut = name_lines(12, "woord " * 40)
    assert len(cut) == MAX_LINES and cut[-1].endswith("…")
    assert name_lines(3, "🌍") == ["3."]


def test_readable_on_a_phone() -> None:
    """Telegram shows a chart about 400 px wide: the names must still be about 12 px high there."""
    png = render_chart(tally(10, 8), {t: f"Thema {t}" for t in range(1, 11)}, labels=LABELS)
    width = size(png)[0]
    for points in (LABEL_PT, COUNT_PT, LEGEND_PT, TICK_PT):
        assert points * DPI / 72 * 400 / width >= 11, points


def test_short_name() -> None:
    assert short_name("  Groen \n  beleid\t") == "Groen beleid"
    assert short_name("🌍 Klimaat") == "Klimaat"
    long = short_name("Klimaat " * 20)
    assert len(long) == MAX_LABEL and long.endswith("…")
    assert short_name("مرحبا بالعالم") == "مرحبا بالعالم"
    assert short_name("\u202eevil") == "evil"


def test_labels_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        LABELS.title = "x"  # type: ignore[misc]
    assert [f.name for f in dataclasses.fields(ChartLabels)] == [
        "title",
        "score_1",
        "score_2",
        "score_3",
        "axis",
        "highlight",
    ]


def test_renders_from_several_threads_at_once() -> None:
    jobs = [(tally(n, 9, seed=n), {t: f"Thema {t} ✓ é" for t in range(1, n + 1)}, {1, n}) for n in (3, 8, 15, 25)] * 3
    expected = [render_chart(data, names, highlighted=marked, labels=LABELS) for data, names, marked in jobs]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda job: render_chart(job[0], job[1], highlighted=job[2], labels=LABELS), jobs))
    assert results == expected  # the same picture as when drawn alone


def test_importing_the_module_does_not_import_matplotlib() -> None:
    code = "import sys, bot.documents.chart; print('matplotlib' in sys.modules)"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_print_render_time_30_themes_20_voters() -> None:
    data = tally(30, 20)
    names = {t: f"Thema {t} over duurzaamheid en samenleving" for t in range(1, 31)}
    render_chart(data, names, highlighted={1, 2, 3}, labels=LABELS)  # the first render imports matplotlib
    times = []
    for _ in range(10):
        start = time.perf_counter()
        render_chart(data, names, highlighted={1, 2, 3}, labels=LABELS)
        times.append(time.perf_counter() - start)
    print(f"\nchart 30 themes x 20 voters: median {statistics.median(times) * 1000:.0f} ms over 10 renders")
