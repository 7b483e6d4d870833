"""Fixtures of the save-pipeline tests: a fake LearningStudio and a backup store."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler_gui.store.backups import BackupStore

from .fakes import FakeLearningStudio


@pytest.fixture
def server() -> FakeLearningStudio:
    return FakeLearningStudio()


@pytest.fixture
def backups(tmp_path: Path) -> BackupStore:
    return BackupStore(tmp_path / "backups", base_url="https://api.example.test")
