"""What a screen reader says for each control: its accessible name, or nothing.

A control is named by ``setAccessibleName``, by a label whose buddy it is (a form row),
or, for a button, by its text. Qt reports a combo box's or field's *value* as its name
on Linux when nothing names it ("Etc/UTC"), so value-holding controls count as named only
through the first two.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

#: Controls whose accessible "name" is their value unless something names them.
VALUE_HOLDERS = (
    QComboBox,
    QLineEdit,
    QAbstractSpinBox,
    QAbstractItemView,
    QTextEdit,
    QPlainTextEdit,
    QTabWidget,
)


def is_interactive(widget: QWidget) -> bool:
    """A control the user can reach and operate (by keyboard, or a button by mouse);
    a disabled one too: it is enabled by another choice."""
    if not widget.isVisible():
        return False
    if widget.objectName().startswith("qt_"):  # Qt's own parts: spin box field, dock buttons
        return False
    parent = widget.parentWidget()
    if isinstance(parent, (QComboBox, QAbstractSpinBox, QLineEdit)):  # inner field or button
        return False
    if isinstance(widget, QTabBar):
        return False  # each tab is named by its text; checked with its QTabWidget
    if isinstance(widget, QAbstractButton):
        return True
    if isinstance(widget, QLabel):
        return False  # text, links included: read as text
    return widget.focusPolicy() != Qt.FocusPolicy.NoFocus


def buddy_text(widget: QWidget) -> str:
    for label in widget.window().findChildren(QLabel):
        if label.buddy() is widget:
            return label.text().replace("&", "").strip(" :")
    return ""


def spoken_name(widget: QWidget) -> str:
    """The name a screen reader announces for ``widget`` (empty: none)."""
    if widget.accessibleName().strip():
        return widget.accessibleName().strip()
    named_by_label = buddy_text(widget)
    if named_by_label or isinstance(widget, VALUE_HOLDERS):
        return named_by_label
    interface = QAccessible.queryAccessibleInterface(widget)
    return "" if interface is None else interface.text(QAccessible.Text.Name).strip()


def describe(widget: QWidget) -> str:
    """``QComboBox 'ActivityUser' in ActivityDock`` — enough to find it in the code."""
    owner = widget.parentWidget()
    while owner is not None and not owner.objectName() and not owner.isWindow():
        owner = owner.parentWidget()
    where = "" if owner is None else f" in {owner.objectName() or type(owner).__name__}"
    tip = f" (tooltip: {widget.toolTip()!r})" if widget.toolTip() else ""
    return f"{type(widget).__name__} {widget.objectName()!r}{where}{tip}"


def unnamed_controls(root: QWidget) -> str:
    """Every shown control under ``root`` (itself included) without a name,
    one a line (empty: all named)."""
    found = [root, *root.findChildren(QWidget)]
    return "\n".join(describe(w) for w in found if is_interactive(w) and not spoken_name(w))
