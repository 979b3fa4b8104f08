"""Shared settings of the Python test suite."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# No deadlines: tests never assert timings, and a busy 2-core CI machine is slow at times.
settings.register_profile(
    "crimeperf",
    deadline=None,
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "100")),
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("crimeperf")
