"""Turning table rows (CSV/XLSX) into validated entries, with row-level errors in Korean."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from minwon.text import clean

COLUMNS = [
    "id", "agency", "category", "subcategory", "question", "alt_questions", "answer",
    "spoken_answer", "department", "phone", "needs_human", "keywords", "valid_from", "valid_to",
]
REQUIRED = ["id", "category", "question", "answer"]
LIST_SEPARATOR = "|"
MAX_FIELD_CHARS = 5_000

_TRUE = {"true", "1", "y", "yes", "예", "네", "o", "필요", "t"}
_FALSE = {"false", "0", "n", "no", "아니오", "아니요", "x", "", "불필요", "f"}


@dataclass
class RowError:
    row: int  # 1-based line in the file, header = 1
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.row}행 [{self.column}] {self.message}"


@dataclass
class EntryRow:
    id: str
    category: str
    question: str
    answer: str
    agency: str = ""
    subcategory: str = ""
    alt_questions: list[str] = field(default_factory=list)
    spoken_answer: str = ""
    department: str = ""
    phone: str = ""
    needs_human: bool = False
    keywords: list[str] = field(default_factory=list)
    valid_from: date | None = None
    valid_to: date | None = None
    row: int = 0


def _split(value: str) -> list[str]:
    return [v for v in (clean(p) for p in value.split(LIST_SEPARATOR)) if v]


def _date(value: str, row: int, column: str, errors: list[RowError]) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10].replace(".", "-").replace("/", "-"))
    except ValueError:
        errors.append(RowError(row, column, f"날짜 형식이 올바르지 않습니다: {value!r} (예: 2026-12-31)"))
        return None


def parse_rows(records: list[dict[str, str]], start_row: int = 2) -> tuple[list[EntryRow], list[RowError]]:
    """Validate raw records (header names → cell text). Rows with errors are not returned."""
    entries: list[EntryRow] = []
    errors: list[RowError] = []
    seen_ids: dict[str, int] = {}
    seen_questions: dict[str, int] = {}
    if records:
        missing = [c for c in REQUIRED if c not in records[0]]
        if missing:
            return [], [RowError(1, ",".join(missing), "필수 열이 없습니다")]
    for offset, rec in enumerate(records):
        row = start_row + offset
        before = len(errors)
        cells = {k.strip().lower(): ("" if v is None else str(v)) for k, v in rec.items() if k}
        if not any(v.strip() for v in cells.values()):
            continue  # blank line
        for col, value in cells.items():
            if len(value) > MAX_FIELD_CHARS:
                errors.append(RowError(row, col, f"내용이 너무 깁니다 ({len(value)}자, 최대 {MAX_FIELD_CHARS}자)"))
        values = {c: clean(cells.get(c, "")) for c in COLUMNS if c not in ("alt_questions", "keywords")}
        for col in REQUIRED:
            if not values[col]:
                errors.append(RowError(row, col, "값이 비어 있습니다"))
        entry_id = values["id"]
        if entry_id in seen_ids:
            errors.append(RowError(row, "id", f"ID가 {seen_ids[entry_id]}행과 중복됩니다"))
        question_key = values["question"].replace(" ", "")
        if question_key and question_key in seen_questions:
            errors.append(
                RowError(row, "question", f"같은 질문이 {seen_questions[question_key]}행에 이미 있습니다")
            )
        flag = values["needs_human"].strip().lower()
        if flag not in _TRUE | _FALSE:
            errors.append(RowError(row, "needs_human", f"true 또는 false 로 적어 주세요: {flag!r}"))
        valid_from = _date(values["valid_from"], row, "valid_from", errors)
        valid_to = _date(values["valid_to"], row, "valid_to", errors)
        if valid_from and valid_to and valid_to < valid_from:
            errors.append(RowError(row, "valid_to", "종료일이 시작일보다 빠릅니다"))
        if len(errors) > before:
            continue
        seen_ids[entry_id] = row
        seen_questions[question_key] = row
        entries.append(
            EntryRow(
                id=entry_id,
                agency=values["agency"],
                category=values["category"],
                subcategory=values["subcategory"],
                question=values["question"],
                alt_questions=[q for q in _split(cells.get("alt_questions", "")) if q != values["question"]],
                answer=values["answer"],
                spoken_answer=values["spoken_answer"],
                department=values["department"],
                phone=values["phone"],
                needs_human=flag in _TRUE,
                keywords=_split(cells.get("keywords", "")),
                valid_from=valid_from,
                valid_to=valid_to,
                row=row,
            )
        )
    return entries, errors
