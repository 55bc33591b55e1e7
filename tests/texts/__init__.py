"""Sample template contexts, one module per step (``samples_<step>.py`` with a ``SAMPLES`` dict).

Every template must have at least one sample; tests/test_texts.py renders each in both languages.
"""

from __future__ import annotations

import importlib
import pkgutil


def all_samples() -> dict[str, list[dict[str, object]]]:
    samples: dict[str, list[dict[str, object]]] = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("samples_"):
            found = importlib.import_module(f"{__name__}.{module.name}").SAMPLES
            overlap = set(samples) & set(found)
            assert not overlap, f"templates with samples in two modules: {overlap}"
            samples.update(found)
    return samples
