"""PySide6's look at each module imported after it gives the same answers, from the file."""

from __future__ import annotations

import sys

import pytest

import scheduler_gui.core.model
import scheduler_gui.ui.widgets.icons
from scheduler_gui.ui.widgets import import_scan

pytestmark = pytest.mark.gui


def test_the_app_answers_pyside6s_question_and_the_answers_are_pyside6s() -> None:
    feature = sys.modules["shibokensupport.feature"]
    upstream = import_scan._upstream
    if upstream is None:  # this PySide6 does not ask: nothing was replaced
        assert not hasattr(feature, "_mod_uses_pyside")
        return
    assert feature._mod_uses_pyside is import_scan.uses_pyside
    assert import_scan.install() is False  # once is enough
    samples = [scheduler_gui.ui.widgets.icons, scheduler_gui.core.model, sys, import_scan]
    samples += [module for name, module in sorted(sys.modules.items())[:200] if module]
    for module in samples:
        assert import_scan.uses_pyside(module) == upstream(module), module.__name__
    assert import_scan.uses_pyside(scheduler_gui.ui.widgets.icons)  # imports PySide6
    assert not import_scan.uses_pyside(scheduler_gui.core.model)  # Qt-free core
