"""Dependencies point down only: a test reads every import of the product and fails on an upward one.

The layers, from the bottom:

0. ``method``: the method's pure logic (tally, consensus, dates, SMART check ...); nothing of ours.
1. ``storage``: the only place that speaks SQL; may use ``method``.
2. ``bot``'s services: configuration, texts, keyboards, sending, guards, documents; may use the
   layers below.
3. ``conversations``: one module per step; may use everything below.
4. ``bot``'s wiring (``bot.app``, ``bot.cli``, ``bot.webhook``, ``bot.__main__``): builds the
   application from the steps.

The development tools (``fake_telegram``, ``kopgroep_demo``) are not part of the product: nothing
imports them, except ``kopgroep demo`` in ``bot.cli``, which says how to install them when absent.
Imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("method", "storage", "bot", "conversations")
TOOLS = ("fake_telegram", "kopgroep_demo")
WIRING = {"bot.app", "bot.cli", "bot.webhook", "bot.__main__"}
ALLOWED_TOOL_IMPORTS = {("bot.cli", "kopgroep_demo")}


def layer(module: str) -> int:
    """The layer of one of our modules (see the module's docstring)."""
    top = module.split(".")[0]
    if top == "method":
        return 0
    if top == "storage":
        return 1
    if top == "conversations":
        return 3
    if top == "bot":
        return 4 if module in WIRING else 2
    raise ValueError(module)


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, module) for every import in a file, relative ones resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
    return found


def violations(root: Path = ROOT) -> list[str]:
    problems = []
    for path in sorted(path for top in PRODUCT for path in (root / top).rglob("*.py")):
        source = module_name(path, root)
        for line, target in imports_of(path, root):
            top = target.split(".")[0]
            where = f"{path.relative_to(root)}:{line} imports {target}"
            if top in TOOLS:
                if (source, top) not in ALLOWED_TOOL_IMPORTS:
                    problems.append(f"{where}: development tools are not part of the product")
            elif top in PRODUCT and layer(target) > layer(source):
                problems.append(f"{where}: layer {layer(source)} may not import layer {layer(target)}")
    return problems


def test_no_module_imports_upward() -> None:
    assert violations() == []


def test_the_method_imports_nothing_of_ours() -> None:
    ours = {top for top in PRODUCT + TOOLS}
    found = [
        f"{path.relative_to(ROOT)}:{line} {target}"
        for path in sorted((ROOT / "method").rglob("*.py"))
        for line, target in imports_of(path)
        if target.split(".")[0] in ours - {"method"}
    ]
    assert found == []


@pytest.mark.parametrize(
    ("source", "target", "upward"),
    [
        ("storage.voting", "bot.render", True),
        ("method.voting.tally", "storage.models", True),
        ("bot.render", "conversations.voting", True),
        ("conversations.voting", "bot.app", True),
        ("bot.app", "conversations.voting", False),
        ("conversations.ballot", "storage.ballots", False),
        ("storage.ballots", "method.anonymity", False),
    ],
)
def test_the_layer_rule_itself(source: str, target: str, upward: bool) -> None:
    """The rule catches what it should: without this, a broken ``layer`` would pass everything."""
    assert (layer(target) > layer(source)) is upward


def test_a_planted_upward_import_is_found(tmp_path: Path) -> None:
    """An upward import inside a function is found, as one at the top would be."""
    for top in PRODUCT:
        (tmp_path / top).mkdir()
        (tmp_path / top / "__init__.py").write_text("")
    (tmp_path / "storage" / "bad.py").write_text("def f():\n    from bot.render import Texts\n")
    (tmp_path / "method" / "worse.py").write_text("from . import fine\nimport fake_telegram\n")
    (tmp_path / "conversations" / "fine.py").write_text("from storage import bad\nfrom bot import render\n")
    found = violations(tmp_path)
    assert any("storage/bad.py:2 imports bot.render" in problem for problem in found)
    assert any("method/worse.py:2 imports fake_telegram" in problem for problem in found)
    assert len(found) == 2
