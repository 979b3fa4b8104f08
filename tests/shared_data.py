"""Where the large real data lives (``../shared`` beside the repository), and what a test does when
it is not there: skip on a developer's machine, fail in CI.

``CRIMEPERF_SHARED`` points elsewhere than ``../shared``; ``CRIMEPERF_REQUIRE_SHARED=1`` (set by
``.ci/run``) turns every such skip into a failure, so that CI cannot pass by testing nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CRIMEPERF_SHARED") or ROOT.parent / "shared")
RAW = SHARED / "data" / "raw"
REQUIRED = os.environ.get("CRIMEPERF_REQUIRE_SHARED", "") not in ("", "0")


def require(path: Path) -> Path:
    """``path`` if it exists; otherwise skips the test, or fails it when the data is required."""
    if not path.exists():
        message = f"{path} is not here (it lives in ../shared; CRIMEPERF_SHARED points elsewhere)"
        if REQUIRED:
            pytest.fail(f"CRIMEPERF_REQUIRE_SHARED is set and {message}", pytrace=False)
        pytest.skip(message)
    return path


def needs(path: Path) -> pytest.MarkDecorator:
    """A marker for a test that reads ``path``: before the test runs, ``conftest.py`` calls
    :func:`require` on it."""
    return pytest.mark.shared_data(path)
