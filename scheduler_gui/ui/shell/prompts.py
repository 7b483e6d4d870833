"""The main window's questions before it drops edits: reload, restore a draft, close.

Each function builds the message box (window-modal, not yet open); the window connects
its answer and opens it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

Button = QMessageBox.StandardButton


def _items(count: int) -> str:
    return f"{count} item{'s' if count != 1 else ''}"


def reload_prompt(parent: QWidget, edited: int) -> QMessageBox:
    """Reload drops ``edited`` unsaved changes: Discard and reload, or Cancel."""
    box = QMessageBox(QMessageBox.Icon.Question, "Reload the course?",
                      f"Reloading drops your {edited} unsaved change(s).",
                      Button.Discard | Button.Cancel, parent)  # fmt: skip
    box.setDefaultButton(Button.Cancel)
    box.button(Button.Discard).setText("Discard and reload")
    return box


def draft_prompt(
    parent: QWidget, count: int, saved_at: str, changed_meanwhile: bool
) -> tuple[QMessageBox, QAbstractButton]:
    """Restore the draft of ``count`` items saved at ``saved_at``? The box and its Restore."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Restore unsaved changes?",
        f"You have unsaved changes to {_items(count)} of this "
        f"course from {saved_at} (the app was closed before they were saved).",
        Button.NoButton,
        parent,
    )
    if changed_meanwhile:
        box.setInformativeText(
            "The course changed on the server since then: restoring puts your edited "
            "items on top of the server's current state. Review them before saving."
        )
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(restore)
    return box, restore


def close_prompt(parent: QWidget, count: int) -> QMessageBox:
    """``count`` items are unsaved: Review and save… (the save preview), Discard, or
    Cancel, the default: Enter or Esc on a quit typed by mistake loses and sends nothing."""
    box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                      f"{_items(count)} of this course have unsaved changes.",
                      Button.Save | Button.Discard | Button.Cancel, parent)  # fmt: skip
    box.setInformativeText(
        "Review and save them to LearningStudio (you see every change before anything is "
        "sent), discard them, or cancel and keep editing."
    )
    box.button(Button.Save).setText("Review and save…")
    box.button(Button.Discard).setText("Discard changes")
    box.setDefaultButton(Button.Cancel)
    box.setEscapeButton(Button.Cancel)
    return box
