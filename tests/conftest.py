"""Shared settings of the Python test suite."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from shared_data import require

# No deadlines: tests never assert timings, and a busy 2-core CI machine is slow at times.
settings.register_profile(
    "crimeperf",
    deadline=None,
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "100")),
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("crimeperf")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "shared_data(path): the test reads path under ../shared (see shared_data.py)"
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("shared_data"):
        require(mark.args[0])
