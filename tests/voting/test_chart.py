"""The results chart: a PNG that Telegram accepts, for 1 to 40 themes, with any names."""

from __future__ import annotations

import io
import random
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from matplotlib.image import imread

from bot.voting import tally_round
from bot.voting.chart import ChartLabels, render_chart

LABELS = ChartLabels("Stemronde 2", "1 (laag)", "2", "3 (hoogste prioriteit)", "aantal stemmen", "★ nog in het spel")


def tally(themes: int, voters: int, seed: int = 1):
    rng = random.Random(seed)
    return tally_round({f"b{v}": {t: rng.choice((1, 2, 3)) for t in range(1, themes + 1)} for v in range(voters)})


def size(png: bytes) -> tuple[int, int]:
    image = imread(io.BytesIO(png), format="png")
    return image.shape[1], image.shape[0]


def test_png_grows_with_the_number_of_themes() -> None:
    one = render_chart(tally(1, 5), {1: "Enig thema"}, labels=LABELS)
    forty = render_chart(tally(40, 15), {t: f"Thema {t}" for t in range(1, 41)}, highlighted={1, 2}, labels=LABELS)
    assert one.startswith(b"\x89PNG\r\n\x1a\n") and forty.startswith(b"\x89PNG\r\n\x1a\n")
    (w1, h1), (w40, h40) = size(one), size(forty)
    assert w1 == w40 == 803 and h40 > h1 * 5
    assert len(forty) < 500_000


def test_awkward_names_and_empty_themes() -> None:
    names = {1: "🌍 Klimaat " * 10, 2: "مرحبا بالعالم", 3: "<b>&amp;</b>", 4: ""}
    scores = {"a": {1: 3, 2: 1, 3: 2}, "b": {1: 3, 2: 2, 3: 2}}
    png = render_chart(tally_round(scores, themes=(1, 2, 3, 4)), names, highlighted={4}, labels=LABELS)
    assert size(png)[1] > 100


def test_thread_safe() -> None:
    data = tally(12, 9)
    names = {t: f"Thema {t}" for t in range(1, 13)}
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: render_chart(data, names, labels=LABELS), range(8)))
    assert len({len(r) for r in results}) == 1  # the same picture every time


def test_print_render_time_30_themes_20_voters() -> None:
    data = tally(30, 20)
    names = {t: f"Thema {t} over duurzaamheid en samenleving" for t in range(1, 31)}
    times = []
    for _ in range(10):
        start = time.perf_counter()
        render_chart(data, names, highlighted={1, 2, 3}, labels=LABELS)
        times.append(time.perf_counter() - start)
    print(f"\nchart 30 themes x 20 voters: median {statistics.median(times) * 1000:.0f} ms")
