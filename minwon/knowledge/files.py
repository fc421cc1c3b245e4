"""Reading and writing counseling-DB tables as CSV (UTF-8 or CP949) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from minwon.knowledge.rows import COLUMNS, LIST_SEPARATOR, EntryRow
from minwon.text import decode_bytes

MAX_ROWS = 100_000


class TableError(ValueError):
    """The file as a whole cannot be read (not just one row)."""


def read_table(data: bytes, filename: str) -> list[dict[str, str]]:
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    if name.endswith((".csv", ".txt", ".tsv")) or not name:
        return _read_csv(data, delimiter="\t" if name.endswith(".tsv") else ",")
    raise TableError(f"지원하지 않는 파일 형식입니다: {filename} (CSV 또는 XLSX)")


def read_path(path: str | Path) -> list[dict[str, str]]:
    p = Path(path)
    return read_table(p.read_bytes(), p.name)


def _read_csv(data: bytes, delimiter: str) -> list[dict[str, str]]:
    text = decode_bytes(data)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    if not reader.fieldnames:
        raise TableError("파일이 비어 있거나 머리글 행이 없습니다")
    reader.fieldnames = [f.strip().lower() for f in reader.fieldnames]
    rows = []
    for i, rec in enumerate(reader):
        if i >= MAX_ROWS:
            raise TableError(f"행이 너무 많습니다 (최대 {MAX_ROWS:,}행)")
        rows.append({k: v for k, v in rec.items() if k is not None})
    return rows


def _read_xlsx(data: bytes) -> list[dict[str, str]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        reason = exc.__class__.__name__
        raise TableError(f"XLSX 파일을 열 수 없습니다: 손상되었거나 형식이 다릅니다 ({reason})") from exc
    ws = wb.active
    if ws is None:
        raise TableError("XLSX 파일에 시트가 없습니다")
    it = ws.iter_rows(values_only=True)
    header = next(it, None)
    if not header:
        raise TableError("파일이 비어 있거나 머리글 행이 없습니다")
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    rows = []
    for i, values in enumerate(it):
        if i >= MAX_ROWS:
            raise TableError(f"행이 너무 많습니다 (최대 {MAX_ROWS:,}행)")
        rows.append({n: _cell(v) for n, v in zip(names, values, strict=False) if n})
    wb.close()
    return rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def neutralise_formula(value: str) -> str:
    """Spreadsheets execute cells starting with = + - @ (and tab/CR): prefix a quote."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def entry_record(e: EntryRow) -> dict[str, str]:
    return {
        "id": e.id, "agency": e.agency, "category": e.category, "subcategory": e.subcategory,
        "question": e.question, "alt_questions": LIST_SEPARATOR.join(e.alt_questions),
        "answer": e.answer, "spoken_answer": e.spoken_answer, "department": e.department,
        "phone": e.phone, "needs_human": "true" if e.needs_human else "false",
        "keywords": LIST_SEPARATOR.join(e.keywords),
        "valid_from": e.valid_from.isoformat() if e.valid_from else "",
        "valid_to": e.valid_to.isoformat() if e.valid_to else "",
    }


def write_csv(entries: Iterable[EntryRow], encoding: str = "utf-8-sig") -> bytes:
    """CSV with a BOM by default so Excel on Korean Windows opens it as UTF-8."""
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=COLUMNS)
    writer.writeheader()
    for e in entries:
        writer.writerow({k: neutralise_formula(v) for k, v in entry_record(e).items()})
    return buf.getvalue().encode(encoding)


def write_xlsx(entries: Iterable[EntryRow]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "상담DB"
    ws.append(COLUMNS)
    for e in entries:
        rec = entry_record(e)
        ws.append([neutralise_formula(rec[c]) for c in COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
