"""Shared test fixtures: where the recorded corpus lives (beside the repo, in ../shared/corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest
from servers import fault_server, other_fault_server  # noqa: F401 - fixtures shared by crawler tests

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The recorded corpus directory; tests that need it skip with a reason where it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS} (it lives in ../shared/corpus beside the repo)")
    return CORPUS
