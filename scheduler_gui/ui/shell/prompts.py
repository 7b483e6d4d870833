"""The main window's questions before it drops edits: reload, restore a draft, close.

Each function builds the message box (window-modal, not yet open); the window connects
its answer and opens it.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    parent: QWidget,
    count: int,
    saved_at: str,
    changed_meanwhile: bool,
    clashes: Sequence[str] = (),
) -> tuple[QMessageBox, QAbstractButton]:
    """Restore the draft of ``count`` items saved at ``saved_at``? The box and its Restore.

    ``clashes`` describe fields both the draft and the server changed since: they are
    listed, and restoring keeps the server's value for them.
    """
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Restore unsaved changes?",
        f"You have unsaved changes to {_items(count)} of this "
        f"course from {saved_at} (the app was closed before they were saved).",
        Button.NoButton,
        parent,
    )
    if clashes:
        shown = "\n".join(f"• {text}" for text in clashes[:5])
        more = f"\n… and {len(clashes) - 5} more." if len(clashes) > 5 else ""
        box.setInformativeText(
            f"{len(clashes)} of your changes clash with changes made on the server since "
            f"then; restoring keeps the server's value for them:\n{shown}{more}\n"
            "Your other changes are put on top of the server's current state, field by "
            "field. Review them before saving."
        )
    elif changed_meanwhile:
        box.setInformativeText(
            "The course changed on the server since then: restoring merges your changes "
            "into the server's current state field by field (what others changed stays). "
            "Review them before saving."
        )
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(restore)
    return box, restore


def kept_draft_notice(
    parent: QWidget, count: int, saved_at: str, missing: Sequence[str], total: int
) -> QMessageBox:
    """The draft could not be offered: the server's answer lacks some of its items."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Unsaved changes kept",
        f"Your unsaved changes to {_items(count)} from {saved_at} are kept, not restored: "
        f"{_items(total)} of them {'is' if total == 1 else 'are'} not in the course as the "
        "server sent it now.",
        Button.Ok,
        parent,
    )
    box.setInformativeText(
        f"Not in the server's answer: {', '.join(missing[:3])}"
        + (f" and {total - 3} more" if total > 3 else "")
        + ". The answer may be incomplete. The changes stay on disk and are offered again "
        "when the course loads with those items: reload it later (F5). Edits made now are "
        "not kept as a draft until then."
    )
    return box


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
