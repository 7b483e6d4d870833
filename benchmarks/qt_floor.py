"""The floors of the start-up benchmark: what the same Python and Qt need at the least.

``python benchmarks/qt_floor.py window PNG``: QApplication + QMainWindow + a 50 × 6
QTableView, shown, painted, grabbed and saved as PNG: the floor of a start to a painted
window (the app's ``--demo --screenshot`` and its login dialog are held to it).

``python benchmarks/qt_floor.py course URL``: a shown 1280 × 800 window with an empty
table, then, timed: a raw password-grant token request, ``GET itemSchedules`` of course
900000 and ``json.loads``, a bare table model over the 10,000 items, painted. Prints
``SECONDS <s>``: the floor of "login → course painted".
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

FIELDS = ("startDateTime", "endDateTime", "isInherited", "canAccessBeforeStartDateTime",
          "canAccessAfterEndDateTime")  # fmt: skip


def window(png: str) -> None:
    app = QApplication(sys.argv[:1])
    main = QMainWindow()
    model = QStandardItemModel(50, 6)
    for row in range(50):
        for column in range(6):
            model.setItem(row, column, QStandardItem(f"Item {row}.{column}"))
    view = QTableView()
    view.setModel(model)
    main.setCentralWidget(view)
    main.resize(1280, 800)
    main.show()
    app.processEvents()
    if not main.grab().save(png, "PNG"):
        sys.exit(f"cannot write {png}")


class ItemsModel(QAbstractTableModel):
    """The least a table of the items needs: one row per item, one column per field."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        super().__init__()
        self.items = items

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + len(FIELDS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        item = self.items[index.row()]
        if index.column() == 0:
            return item["itemTitle"]
        access = item["schedule"].get("accessSchedule", {})
        return str(access.get(FIELDS[index.column() - 1], ""))


def course(url: str) -> None:
    import httpx

    app = QApplication(sys.argv[:1])
    main = QMainWindow()
    view = QTableView()
    main.setCentralWidget(view)
    main.resize(1280, 800)
    main.show()
    app.processEvents()
    started = time.perf_counter()
    with httpx.Client(base_url=url, timeout=120) as http:
        token = http.post(
            "/token",
            data={"grant_type": "password", "client_id": "sandbox-app",
                  "username": "sandbox\\prof", "password": "prof"},
        ).json()["access_token"]  # fmt: skip
        answer = http.get(
            "/courses/900000/itemSchedules.json",
            headers={"X-Authorization": f"Access_Token access_token={token}"},
        )
    document = json.loads(answer.content)
    items = document["itemSchedules"]
    model = ItemsModel(items)
    view.setModel(model)
    app.processEvents()
    main.grab()
    seconds = time.perf_counter() - started
    print(f"ITEMS {model.rowCount()}")
    print(f"SECONDS {seconds:.4f}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["window"]:
        window(sys.argv[2])
    elif sys.argv[1:2] == ["course"]:
        course(sys.argv[2])
    else:
        sys.exit(__doc__)
