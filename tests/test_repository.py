"""The repository itself: what a fresh clone holds, and that its scripts run from any checkout."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="module")
def tracked() -> list[str]:
    listing = git("ls-files")
    if listing.returncode != 0:
        pytest.skip("not a git checkout (an installed package)")
    return listing.stdout.splitlines()


def test_no_wheels_at_the_root(tracked: list[str]) -> None:
    assert [path for path in tracked if path.endswith(".whl")] == []
    # A wheel dropped at the root by hand is ignored, so it cannot be committed by `git add -A`.
    assert git("check-ignore", "-q", "stray-1.0-py3-none-any.whl").returncode == 0


def test_scripts_use_repository_relative_paths(tracked: list[str]) -> None:
    for path in tracked:
        if path.startswith("scripts/") and path.endswith(".py"):
            text = (ROOT / path).read_text(encoding="utf-8")
            assert not re.search(r"""["'](/work|/home|/Users|/tmp)/""", text), path


def test_reference_requirements_pin_the_versions_that_made_the_reference_file() -> None:
    pins = {}
    for line in (ROOT / "scripts" / "requirements-reference.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"not pinned: {line}"
            pins[name] = version
    reference = ROOT / "crates" / "crimeperf" / "tests" / "reference" / "scipy_statsmodels.json"
    versions = json.loads(reference.read_text())["versions"]
    for package, version in versions.items():
        if package != "python":
            assert pins[package] == version, package
    assert "openpyxl" in pins  # read_excel needs it, though the JSON does not record it
