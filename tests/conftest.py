"""Shared fixtures: the real texts in ../shared (skipped with a reason where absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "futian-2020-self-evaluation.txt"
REAL_DEV = SHARED / "real-dev"


def shared_file(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared/ sits beside the clone in CI and on developer machines)")
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return shared_file(SEED)


@pytest.fixture(scope="session")
def real_dev() -> Path:
    return shared_file(REAL_DEV)


@pytest.fixture(scope="session")
def seed_doc(seed_path):
    from extractor import read

    return read(seed_path)
