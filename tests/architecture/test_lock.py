"""The image installs from requirements.lock (pip-compile, with hashes): the lock must hold every
dependency pyproject.toml names, at a version pyproject.toml allows, and nothing it has dropped."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"
# What PTB's extras bring (python-telegram-bot[rate-limiter,job-queue,webhooks]).
EXTRAS = {"rate-limiter": "aiolimiter", "job-queue": "apscheduler", "webhooks": "tornado"}
REGENERATE = "pip-compile --generate-hashes --no-emit-find-links --no-emit-index-url --output-file=requirements.lock --strip-extras pyproject.toml"


def declared() -> list[Requirement]:
    return [Requirement(line) for line in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]]


def locked() -> tuple[dict[str, str], set[str]]:
    """name -> pinned version, and the names the lock says come straight from pyproject.toml."""
    pins: dict[str, str] = {}
    direct: set[str] = set()
    current = None
    for line in LOCK.read_text().splitlines():
        pin = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", line)
        if pin:
            current = canonicalize_name(pin.group(1))
            pins[current] = pin.group(2)
        elif current and re.search(r"#\s+(via\s+)?kopgroep \(pyproject\.toml\)", line):
            direct.add(current)
    return pins, direct


def test_every_dependency_is_locked_at_an_allowed_version() -> None:
    pins, _ = locked()
    problems = []
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement.name} is not in requirements.lock")
        elif not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{requirement.name}=={pins[name]} in the lock, pyproject.toml asks {requirement.specifier}")
        for extra in requirement.extras:
            if extra in EXTRAS and EXTRAS[extra] not in pins:
                problems.append(f"{requirement.name}[{extra}] needs {EXTRAS[extra]}, not in the lock")
    assert not problems, "\n".join(problems) + f"\nregenerate: {REGENERATE}"


def test_the_lock_has_no_dependency_pyproject_dropped() -> None:
    _, direct = locked()
    names = {canonicalize_name(r.name) for r in declared()}
    assert direct == names, f"lock {sorted(direct - names)} vs pyproject {sorted(names - direct)}; regenerate: {REGENERATE}"


def test_every_pin_has_hashes_and_the_image_uses_the_lock() -> None:
    text = LOCK.read_text()
    pins = re.findall(r"^[A-Za-z0-9_.\-]+==\S+", text, flags=re.M)
    assert pins and text.count("--hash=sha256:") >= len(pins)
    options = [line.split()[0] for line in text.splitlines() if line.startswith("--")]
    assert "/opt/" not in text and not options, options  # no index or wheel folder of this machine
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes -r requirements.lock" in dockerfile and "--no-deps ." in dockerfile
    # What the Dockerfile copies is not left out of the build context by .dockerignore.
    ignored = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip() and not line.startswith("#")]
    copied = [name for line in dockerfile.splitlines() if line.startswith("COPY ") for name in line.split()[1:-1]]
    assert "requirements.lock" in copied and "bot" in copied
    assert not [(name, pattern) for name in copied for pattern in ignored if fnmatch.fnmatch(name, pattern)]
    assert {".git", ".venv", ".env", "tests"} <= set(ignored)
