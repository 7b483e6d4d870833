"""Help → Documentation: the README and docs render from disk, offline, links work inside."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from scheduler_gui.ui.dialogs.documentation import (
    ONLINE_URL,
    DocumentationDialog,
    documentation_file,
    heading_anchor,
)

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_next_to_the_package_is_found() -> None:
    assert documentation_file() == ROOT / "README.md"


def test_the_user_guide_is_used_when_there_is_no_readme(tmp_path: Path) -> None:
    guide = tmp_path / "docs" / "user-guide.md"
    guide.parent.mkdir()
    guide.write_text("# Guide\n", encoding="utf-8")
    assert documentation_file(tmp_path) == guide


def test_dialog_renders_the_markdown_and_follows_relative_links(
    qtbot: QtBot, tmp_path: Path
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "rules.md").write_text("# The rules\n\nBlank means keep.\n", "utf-8")
    readme = tmp_path / "README.md"
    readme.write_text("# My app\n\nSee [the rules](docs/rules.md).\n", encoding="utf-8")
    dialog = DocumentationDialog(path=readme)
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    assert text.startswith("My app")
    assert "#" not in text  # rendered as Markdown, not shown as source
    browser = dialog.browser
    browser.setSource(browser.source().resolved(QUrl("docs/rules.md")))  # what a click does
    assert "Blank means keep." in dialog.browser.toPlainText()
    dialog.browser.backward()
    assert dialog.browser.toPlainText().startswith("My app")


def test_links_to_headings_scroll_to_them(qtbot: QtBot, tmp_path: Path) -> None:
    filler = "\n\n".join(f"Paragraph {n}." for n in range(80))
    readme = tmp_path / "README.md"
    readme.write_text(
        f"# App\n\n[Go](#command-line-schedctl)\n\n{filler}\n\n"
        "## Command line (`schedctl`)\n\nEnd.\n",
        encoding="utf-8",
    )
    dialog = DocumentationDialog(path=readme)
    qtbot.addWidget(dialog)
    dialog.show()
    browser = dialog.browser
    assert browser.verticalScrollBar().value() == 0
    browser.setSource(browser.source().resolved(QUrl("#command-line-schedctl")))
    qtbot.waitUntil(lambda: browser.verticalScrollBar().value() > 0)


def test_heading_anchors_are_the_ones_github_makes() -> None:
    assert heading_anchor("Command line (`schedctl`)") == "command-line-schedctl"
    assert heading_anchor("Professors: edit a few dates") == "professors-edit-a-few-dates"
    assert heading_anchor("Safety: what happens when you save") == (
        "safety-what-happens-when-you-save"
    )


def test_the_real_readme_renders(qtbot: QtBot) -> None:
    dialog = DocumentationDialog()
    qtbot.addWidget(dialog)
    assert dialog.browser.toPlainText().startswith("Course Schedule Editor")


def test_without_files_the_dialog_says_where_to_read_them(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("scheduler_gui.ui.dialogs.documentation.documentation_file", lambda: None)
    dialog = DocumentationDialog()
    qtbot.addWidget(dialog)
    assert "were not installed" in dialog.browser.toPlainText()
    assert ONLINE_URL in dialog.browser.toPlainText()


def test_wide_pictures_fit_the_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    """The README's 1280-pixel screenshots are shown at the dialog's width: no sideways
    scrolling to see the rest of a picture or of the text beside it."""
    from PySide6.QtGui import QColor, QImage

    picture = QImage(1280, 200, QImage.Format.Format_RGB32)
    picture.fill(QColor("steelblue"))
    (tmp_path / "shots").mkdir()
    assert picture.save(str(tmp_path / "shots" / "wide.png"))
    readme = tmp_path / "README.md"
    readme.write_text("# App\n\n![A wide window](shots/wide.png)\n\nText.\n", encoding="utf-8")
    dialog = DocumentationDialog(path=readme)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    bar = dialog.browser.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() == 0)
    dialog.resize(500, 400)  # narrower still: the picture follows
    qtbot.waitUntil(lambda: bar.maximum() == 0)
