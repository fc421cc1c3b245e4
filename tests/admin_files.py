"""Building the import files the knowledge-manager tests upload."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook, load_workbook

from minwon.knowledge.rows import COLUMNS

NEW = Path(__file__).resolve().parent / "fixtures" / "admin" / "new_entries.csv"


def read_xlsx(data: bytes) -> list[dict[str, str]]:
    ws = load_workbook(io.BytesIO(data), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [{h: "" if v is None else str(v) for h, v in zip(header, r, strict=False)} for r in rows[1:]]


def to_xlsx(records: list[dict[str, str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for r in records:
        ws.append([r.get(c, "") for c in COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def new_records() -> list[dict[str, str]]:
    with NEW.open(encoding="utf-8") as f:
        return [dict(r) for r in csv.DictReader(f)]


def three_hundred(existing: list[dict[str, str]], planted: bool) -> tuple[list[dict[str, str]], dict[str, str]]:
    """The live DB as exported (262 rows, ten answers updated), 33 new entries and five
    more rows: with ``planted`` five problems, without them the same rows fixed.
    Returns the records and the rows' expected problem kinds by id."""
    records = [dict(r) for r in existing]
    for r in records[:10]:
        r["answer"] = r["answer"] + " (2027년 기준)"
    records += new_records()
    library_card = next(r for r in existing if "회원증" in r["question"])
    if planted:
        extra = [
            {"id": "NEW-101", "category": "생활", "question": "공공 와이파이는 어디서 쓸 수 있나요?", "answer": ""},
            {
                "id": "NEW-002",
                "category": "교통",
                "question": "따릉이 같은 공공자전거가 있나요?",
                "answer": "예시시 공공자전거 예시바이크를 대여소 120곳에서 빌릴 수 있습니다.",
            },
            {
                "id": "NEW-103",
                "category": "생활",
                "question": "주민 공동체 공간을 빌리고 싶어요",
                "answer": "행정복지센터 주민 공간은 누리집에서 예약합니다.",
                "needs_human": "아마도",
            },
            {
                "id": "NEW-104",
                "category": library_card["category"],
                "question": library_card["question"],
                "answer": "도서관 회원증은 신분증을 가지고 가까운 도서관에 가시면 만들어 드립니다.",
            },
            {
                "id": "NEW-105",
                "category": library_card["category"],
                "question": "도서관 회원증은 어떻게 만들어요?",
                "answer": "신분증을 가지고 도서관 안내대로 오세요.",
            },
        ]
        expected = {
            "NEW-101": "row_error",
            "NEW-002": "row_error",
            "NEW-103": "row_error",
            "NEW-104": "duplicate_question",
            "NEW-105": "overlapping_entry",
        }
    else:
        extra = [
            {
                "id": "NEW-101",
                "category": "생활",
                "question": "공공 와이파이는 어디서 쓸 수 있나요?",
                "answer": "시청, 공원, 버스정류장에서 'Public WiFi Free'에 접속하면 무료로 쓸 수 있습니다.",
                "department": "정보통신과",
                "phone": "02-0000-4201",
            },
            {
                "id": "NEW-102",
                "category": "교통",
                "question": "따릉이 같은 공공자전거가 있나요?",
                "answer": "예시시 공공자전거 예시바이크를 대여소 120곳에서 빌릴 수 있습니다.",
                "department": "교통정책과",
                "phone": "02-0000-4202",
            },
            {
                "id": "NEW-103",
                "category": "생활",
                "question": "주민 공동체 공간을 빌리고 싶어요",
                "answer": "행정복지센터 주민 공간은 누리집에서 예약합니다.",
                "needs_human": "false",
            },
            {
                "id": "NEW-104",
                "category": "교육",
                "question": "방학 중 어린이 코딩 교실이 있나요?",
                "answer": "여름·겨울방학에 시립 도서관에서 초등학생 코딩 교실을 무료로 엽니다.",
                "department": "평생학습과",
                "phone": "02-0000-4204",
            },
            {
                "id": "NEW-105",
                "category": "교육",
                "question": "어르신 스마트폰 교실은 어디서 하나요?",
                "answer": "복지관과 행정복지센터에서 어르신 스마트폰 교실을 매주 엽니다.",
                "department": "노인복지과",
                "phone": "02-0000-4205",
            },
        ]
        expected = {}
    return records + extra, expected
