"""Read schedule sheets back from an .xlsx workbook (or a CSV file), refusing hostile files.

Before openpyxl sees a workbook, the zip directory is checked: a real zip with the parts
of an .xlsx, not too many entries, not too big once unpacked, no entry that inflates
suspiciously (zip bombs). openpyxl then reads it in read-only mode with defusedxml;
formulas are never evaluated (a formula in a date cell is reported, not read).
"""

from __future__ import annotations

import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from .cells import Formula
from .csv_import import read_csv
from .excel_export import ABOUT, ABOUT_HEADER, SHEET
from .tabular import MAX_CELLS, MAX_CELLS_PER_ROW, ImportRejectedError, Problem, SheetData

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 200  # legitimate sheets deflate about 10:1, a few repetitive ones 100:1
MAX_ENTRIES = 1_000
MAX_ROWS = 200_000
# openpyxl builds a whole <row> element: the cells are counted before (MAX_CELLS...).
# Any part but a worksheet (the text table above all: openpyxl loads it whole).
MAX_PART_BYTES = 100 * 1024 * 1024
_CELL_OR_ROW = re.compile(rb"<(?:\w+:)?(row|c)[\s/>]")
_TOKEN_TAIL = 16  # bytes kept between chunks: longer than any "<x:row " token
_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_COURSE_SHEET = re.compile(rf"{SHEET}\s+(\S+)", re.IGNORECASE)
_TIME_CODES = re.compile(r"h|s|am/pm|a/p", re.IGNORECASE)


@dataclass(frozen=True)
class Spreadsheet:
    """The schedule sheets of one file, with what its About sheet says."""

    path: Path
    sheets: tuple[SheetData, ...]
    notes: tuple[str, ...] = field(default=())
    exported_at: str | None = None

    def sheet_for(self, course_id: str | None) -> SheetData:
        """The sheet of one course (``None``: the file must hold exactly one).

        Raises:
            ImportRejectedError: no such sheet, or no way to tell which one.
        """
        name = self.path.name
        if course_id is not None:
            matching = [s for s in self.sheets if s.course_id == course_id]
            if matching:
                return matching[0]
            unnamed = [s for s in self.sheets if s.course_id is None]
            if len(self.sheets) == 1 and unnamed:
                return replace(unnamed[0], course_id=course_id)
            held = ", ".join(s.course_id or s.name for s in self.sheets)
            raise ImportRejectedError(
                [Problem(name, f"holds course {held}, not course {course_id}")]
            )
        if len(self.sheets) == 1 and self.sheets[0].course_id:
            return self.sheets[0]
        raise ImportRejectedError(
            [
                Problem(
                    name,
                    "cannot tell which course this file is for: name the course before "
                    f"the file, e.g. schedctl import COURSE {name}",
                )
            ]
        )

    def course_sheets(self) -> list[SheetData]:
        """Every sheet with its course (for a many-course import).

        Raises:
            ImportRejectedError: a sheet whose course is unknown.
        """
        problems = [
            Problem(
                s.name,
                "cannot tell which course this sheet is for (no About sheet names it): name "
                f"the course before the file, e.g. schedctl import COURSE {self.path.name}",
            )
            for s in self.sheets
            if not s.course_id
        ]
        if problems:
            raise ImportRejectedError(problems)
        return list(self.sheets)


def read_spreadsheet(path: str | Path) -> Spreadsheet:
    """Read an .xlsx or .csv file (told apart by content, not by name).

    Raises:
        ImportRejectedError: the file is missing, too big, not a workbook or CSV we can
            read, or holds no schedule sheet.
    """
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportRejectedError(
                [
                    Problem(
                        name,
                        f"is {size / 1e6:.0f} MB; files over "
                        f"{MAX_FILE_BYTES // 2**20} MB are refused",
                    )
                ]
            )
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ImportRejectedError(
            [Problem(name, f"cannot be read: {exc.strerror or exc}")]
        ) from None
    if head.startswith(b"PK"):
        return _read_xlsx(path)
    if head.startswith(_OLE_MAGIC):
        raise ImportRejectedError(
            [
                Problem(
                    name,
                    "is an old .xls workbook or a password-protected one: "
                    "save it as .xlsx without a password",
                )
            ]
        )
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        sheet, notes = read_csv(path, path.read_bytes())
        return Spreadsheet(path, (sheet,), tuple(notes))
    raise ImportRejectedError([Problem(name, "is not an Excel workbook (.xlsx) or a CSV file")])


def check_zip(path: Path) -> None:
    """Refuse anything that is not a plausible .xlsx before unpacking a byte of it."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRejectedError([Problem(name, f"is not a valid .xlsx file ({exc})")]) from None
    names = {entry.filename for entry in entries}
    if not all(part in names for part in _REQUIRED_PARTS):
        raise ImportRejectedError(
            [Problem(name, "is a zip file but not an Excel workbook (.xlsx)")]
        )
    if len(entries) > MAX_ENTRIES:
        raise ImportRejectedError([Problem(name, f"has {len(entries)} parts; refused as unsafe")])
    unpacked = sum(entry.file_size for entry in entries)
    bomb = any(
        entry.file_size > 1_000_000 and entry.file_size > MAX_RATIO * max(entry.compress_size, 1)
        for entry in entries
    )
    if unpacked > MAX_UNPACKED_BYTES or bomb:
        raise ImportRejectedError(
            [
                Problem(
                    name,
                    f"would unpack to {unpacked / 1e6:,.0f} MB"
                    + (" at a suspicious compression ratio" if bomb else "")
                    + "; refused as unsafe (a zip bomb?)",
                )
            ]
        )


def check_cells(path: Path) -> None:
    """Count the cells of every part, streaming, before openpyxl builds any of them.

    Every part is counted, not only ``xl/worksheets/``: the workbook's relationships may
    put a sheet anywhere.

    Raises:
        ImportRejectedError: too many cells in a row or in a part, or a huge non-sheet part.
    """
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            for entry in archive.infolist():
                sheet = entry.filename.startswith("xl/worksheets/")
                if not sheet and entry.file_size > MAX_PART_BYTES:
                    size = entry.file_size / 1e6
                    raise _too_big(name, f"its part {entry.filename} unpacks to {size:,.0f} MB")
                with archive.open(entry) as stream:
                    _count_cells(name, entry.filename, stream)
    except ImportRejectedError:
        raise
    # A damaged part (bad CRC, cut data), an encrypted or unsupported one:
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            OSError, ValueError) as exc:  # fmt: skip
        raise ImportRejectedError([Problem(name, f"is not a valid .xlsx file ({exc})")]) from None


def _count_cells(name: str, part: str, stream: Any) -> None:
    total = in_row = row = 0
    tail = b""
    while chunk := stream.read(1 << 20):
        buffer = tail + chunk
        last = len(buffer) - _TOKEN_TAIL  # a token starting later may be cut: next time
        for match in _CELL_OR_ROW.finditer(buffer, 0, len(buffer)):
            if match.start() >= last:
                break
            if match.group(1) == b"row":
                row, in_row = row + 1, 0
                continue
            total, in_row = total + 1, in_row + 1
            if in_row > MAX_CELLS_PER_ROW:
                raise _too_big(
                    name, f"row {row} of {part} has more than {MAX_CELLS_PER_ROW:,} cells"
                )
            if total > MAX_CELLS:
                raise _too_big(name, f"{part} has more than {MAX_CELLS:,} cells")
        tail = buffer[max(last, 0) :]


def _too_big(name: str, what: str) -> ImportRejectedError:
    return ImportRejectedError([Problem(name, f"{what}; refused as unsafe")])


def _read_xlsx(path: Path) -> Spreadsheet:
    check_zip(path)
    check_cells(path)
    name = path.name
    # Our own handle: openpyxl leaves its zip open when a broken workbook fails to load.
    with path.open("rb") as handle, warnings.catch_warnings():
        # openpyxl warns about parts it skips (extensions, slicers); none matter here.
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(handle, read_only=True, data_only=False, keep_links=False)
            try:
                about, exported_at = _about(workbook)
                sheets = [
                    _sheet_data(sheet, about.get(sheet.title, {}))
                    for sheet in workbook.worksheets
                    if sheet.title != ABOUT
                ]
            finally:
                workbook.close()
        except ImportRejectedError:
            raise
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ImportRejectedError([Problem(name, _unreadable(exc))]) from None
    notes = []
    if not about:
        notes.append(
            f"{name} has no About sheet: the course cannot be checked for changes since export."
        )
    return Spreadsheet(path, tuple(_schedule_sheets(name, sheets)), tuple(notes), exported_at)


def _sheet_data(sheet: Any, info: dict[str, str]) -> SheetData:
    match = _COURSE_SHEET.fullmatch(sheet.title)
    return SheetData(
        sheet.title,
        list(_sheet_rows(sheet)),
        zone=info.get("Time zone"),
        course_id=info.get("Course ID") or (match[1] if match else None),
        fingerprint=info.get("Fingerprint"),
        call_number=info.get("Call number"),
    )


def _unreadable(exc: BaseException) -> str:
    """A short reason from the innermost error (openpyxl wraps the XML parser's)."""
    root = exc
    while root.__cause__ or root.__context__:
        root = root.__cause__ or root.__context__  # type: ignore[assignment]
    reason = f"{type(root).__name__}: {root}"[:160]
    return f"cannot be read as an Excel workbook ({reason}); open it in Excel and save it again"


def _schedule_sheets(name: str, sheets: Sequence[SheetData]) -> list[SheetData]:
    """Sheets with an Item ID header; extra sheets (notes, pivots) are left alone."""
    ours = [s for s in sheets if s.course_id or _has_item_id_header(s)]
    if not ours:
        raise ImportRejectedError(
            [
                Problem(
                    name,
                    'no sheet has an "Item ID" column: '
                    "this is not a schedule workbook exported by this app",
                )
            ]
        )
    return ours


def _has_item_id_header(sheet: SheetData) -> bool:
    return any(
        isinstance(value, str) and value.strip().casefold().startswith("item id")
        for _, values in sheet.rows[:20]
        for value in values
    )


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, list[object]]]:
    for count, cells in enumerate(sheet.iter_rows(), start=1):
        if count > MAX_ROWS:
            raise ImportRejectedError([Problem(sheet.title, f"has more than {MAX_ROWS:,} rows")])
        values: list[object] = []
        row_number = None
        for cell in cells:
            value = cell.value
            if value is None:
                values.append(None)
                continue
            row_number = cell.row
            data_type = cell.data_type
            if data_type == "f":
                value = Formula(str(value))
            elif isinstance(value, datetime) and not _TIME_CODES.search(cell.number_format or ""):
                value = value.date()  # a date cell that shows no time: keep the item's time
            elif data_type == "d" and not isinstance(value, datetime | date):
                value = str(value)
            values.append(value)
        if row_number is not None:
            yield row_number, values


def _about(workbook: Any) -> tuple[dict[str, dict[str, str]], str | None]:
    """Per sheet name, what the About table says (course id, zone, fingerprint...)."""
    if ABOUT not in workbook.sheetnames:
        return {}, None
    rows = list(workbook[ABOUT].iter_rows(max_row=200, max_col=len(ABOUT_HEADER), values_only=True))
    exported_at = next(
        (str(r[1]) for r in rows if r and r[0] == "Exported at" and len(r) > 1), None
    )
    header = tuple(ABOUT_HEADER)
    entries: dict[str, dict[str, str]] = {}
    start = next((i for i, r in enumerate(rows) if tuple(r[: len(header)]) == header), None)
    if start is None:
        return {}, exported_at
    for row in rows[start + 1 :]:
        if not row or row[0] in (None, ""):
            break
        entries[str(row[0])] = {
            key: str(value).strip()
            for key, value in zip(header, row, strict=False)
            if value not in (None, "")
        }
    return entries, exported_at
