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


def crate_dirs() -> list[Path]:
    return sorted(path.parent for path in (ROOT / "crates").glob("*/Cargo.toml"))


def test_library_code_reads_no_file_outside_its_crate() -> None:
    # `cargo package` ships a crate's own folder only; a library that compiles in a file from
    # elsewhere in the repository, or looks its data up under the build machine's path at run
    # time, breaks once it is installed from crates.io.
    include = re.compile(r"""include_(?:str|bytes)!\(\s*"([^"]+)"\s*\)""")
    for crate in crate_dirs():
        for source in (crate / "src").rglob("*.rs"):
            text = source.read_text(encoding="utf-8")
            # Documentation examples may find test data beside the repository; code may not.
            code = "\n".join(
                line for line in text.splitlines() if not line.lstrip().startswith("//")
            )
            assert 'env!("CARGO_MANIFEST_DIR")' not in code, source
            for relative in include.findall(code):
                target = (source.parent / relative).resolve()
                assert target.is_relative_to(crate.resolve()), (source, relative)
                assert target.exists(), (source, relative)


def version(text: str) -> tuple[int, ...]:
    """``"1.85"`` and ``"1.85.0"`` are one version: (1, 85, 0)."""
    parts = [int(part) for part in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def test_minimum_rust_versions_are_true() -> None:
    # Each crate's rust-version is at least that of every dependency it builds with (the locked
    # versions); below it, `cargo build` on that Rust fails in a dependency.
    metadata = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", "--offline"],
        cwd=ROOT, capture_output=True, text=True,
    )
    if metadata.returncode != 0:
        pytest.skip(f"cargo metadata failed: {metadata.stderr.strip()[:200]}")
    meta = json.loads(metadata.stdout)
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    for member in meta["workspace_members"]:
        stated = packages[member]["rust_version"]
        assert stated, packages[member]["name"]
        seen: set[str] = set()
        stack = [member]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            for dep in nodes[node]["deps"]:
                if any(kind["kind"] != "dev" for kind in dep["dep_kinds"]):
                    stack.append(dep["pkg"])
        needed = max(
            (version(packages[d]["rust_version"]), packages[d]["name"])
            for d in seen - {member} if packages[d].get("rust_version")
        )
        assert version(stated) >= needed[0], (packages[member]["name"], stated, needed)
