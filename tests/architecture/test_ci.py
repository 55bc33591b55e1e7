"""CI runs exactly the README's test command (the whole suite, in parallel) and says how long it took."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ci_runs_the_readme_command() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Test it", 1)[1]
    command = re.search(r"```sh\n(.+?)\n```", section, re.S).group(1).strip()  # type: ignore[union-attr]
    assert command.endswith("python -m pytest -n auto"), command  # the whole suite, in parallel
    script = (ROOT / ".ci" / "run").read_text()
    assert command in script.splitlines()
    assert "CI time" in script and "trap" in script  # printed at the end, also when a test fails
    quick = re.findall(r"```sh\n(.+?)\n```", section, re.S)[1].strip()
    assert quick.endswith('-m "not e2e"') and quick not in script
