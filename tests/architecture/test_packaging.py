"""The bot's wheel carries the product only: the fake Telegram and the demo stay in devtools/."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_holds_the_product_and_not_the_development_tools(tmp_path: Path) -> None:
    # Built from a copy: setuptools writes build/ and *.egg-info into the folder it builds.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__", "tests"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("kopgroep-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.startswith("kopgroep-")}
    assert tops == {"bot", "conversations", "storage", "method"}
    assert not [name for name in names if "fake_telegram" in name or "kopgroep_demo" in name]
    # What the product needs at run time does ship: templates, the method's data, the migrations.
    assert "method/data/sdg.yaml" in names
    assert "bot/templates/nl/labels.toml" in names
    assert any(name.startswith("storage/migrations/versions/") for name in names)


def test_the_dockerfile_copies_no_development_tools() -> None:
    copied = [line.split()[1] for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("COPY")]
    assert "devtools" not in " ".join(copied)
    assert {"bot", "conversations", "storage", "method"} <= set(copied)


def test_demo_without_the_development_tools_says_how_to_get_them() -> None:
    """`kopgroep demo` where devtools is not installed: one line that says what to install, exit 2."""
    hide = (
        "import sys, importlib.abc\n"
        "class Hide(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('fake_telegram', 'kopgroep_demo'):\n"
        "            raise ModuleNotFoundError(name=name)\n"
        "sys.meta_path.insert(0, Hide())\n"
        "from bot.cli import main\n"
        "raise SystemExit(main(['demo']))\n"
    )
    done = subprocess.run([sys.executable, "-c", hide], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install -e ./devtools" in lines[0]
