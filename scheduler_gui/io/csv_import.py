"""Read a schedule from a CSV file, whatever Excel or LibreOffice saved it as.

Encodings: UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark
("Unicode text"), and Windows-1252 as a fallback (noted in the report, since accents may
then be wrong). The separator (``,``, ``;`` or tab) is taken from the header line.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .tabular import (
    ITEM_ID,
    MAX_CELLS,
    MAX_CELLS_PER_ROW,
    ImportRejectedError,
    Problem,
    SheetData,
)

MAX_ROWS = 200_000
_SEPARATORS = (",", ";", "\t")


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """The text of a CSV file and notes about how it was decoded."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise ImportRejectedError([Problem(name, "is not valid UTF-16 text")]) from None
    if b"\x00" in data[:4096]:
        raise ImportRejectedError(
            [
                Problem(
                    name,
                    "is not a text file (or is UTF-16 without a byte-order mark): "
                    'save it again as "CSV UTF-8"',
                )
            ]
        )
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRejectedError(
            [Problem(name, 'is not UTF-8 or Windows-1252 text: save it again as "CSV UTF-8"')]
        ) from None
    return text, [
        f"{name} is not UTF-8; it was read as Windows-1252 (Western European). "
        "Dates are not affected; if titles look wrong, save it as CSV UTF-8."
    ]


def _separator(text: str) -> str:
    lines = text.splitlines()
    header = next((line for line in lines[:50] if ITEM_ID.casefold() in line.casefold()), None)
    line = header or next((line for line in lines if line.strip()), "")
    return max(_SEPARATORS, key=line.count)


def read_csv(path: Path, data: bytes) -> tuple[SheetData, list[str]]:
    """The rows of a CSV file as one sheet named after the file."""
    name = path.name
    text, notes = decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))
    rows: list[tuple[int, list[object]]] = []
    cells = 0
    try:
        for number, record in enumerate(reader, start=1):
            if number > MAX_ROWS:
                raise ImportRejectedError([Problem(name, f"has more than {MAX_ROWS:,} rows")])
            if len(record) > MAX_CELLS_PER_ROW:
                raise ImportRejectedError(
                    [Problem(name, f"has more than {MAX_CELLS_PER_ROW:,} cells", number)]
                )
            cells += len(record)
            if cells > MAX_CELLS:
                raise ImportRejectedError([Problem(name, f"has more than {MAX_CELLS:,} cells")])
            rows.append((number, list(record)))
    except csv.Error as exc:
        raise ImportRejectedError([Problem(name, f"is not a readable CSV file: {exc}")]) from None
    return SheetData(name, rows), notes
