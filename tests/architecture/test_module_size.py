"""Small modules: no product module grows past what a reader takes in at once.

A module that needs more lines holds more than one topic: split it by topic (as storage/records/
and storage/models/ are), so its name keeps saying what it holds. Migrations are exempt: each is
one step of the schema's history, written once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("method", "storage", "bot", "conversations")
LIMIT = 500  # lines


def product_modules() -> list[Path]:
    return sorted(
        path
        for package in PRODUCT
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    )


def test_the_product_has_modules_to_check() -> None:
    # Guards the test below against passing on an empty list (a moved tree, a wrong root).
    assert len(product_modules()) > 100


@pytest.mark.parametrize("path", product_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= LIMIT, f"{path.relative_to(ROOT)} has {lines} lines; split it by topic (limit {LIMIT})"
