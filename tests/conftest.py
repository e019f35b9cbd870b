"""Shared test set-up: hypothesis profiles ("ci" is derandomised) and paths."""

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, max_examples=100, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

REPO = Path(__file__).resolve().parents[1]
CLAIMS = REPO / "claims"
DOCUMENTS = CLAIMS / "documents"
