"""Counseling-DB CSV/XLSX import and export with row-level validation."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from minwon.knowledge.files import TableError, read_table, write_csv, write_xlsx
from minwon.knowledge.rows import parse_rows

MINIMAL = "id,category,question,answer,alt_questions\n" \
          "A1,교통,시내버스 첫차는 몇 시인가요?,05:30에 출발합니다.,버스 첫차 시간|첫차 몇시\n" \
          "A2,상하수도,수도요금 자동이체 방법,은행이나 홈페이지에서 신청합니다.,\n"


def test_minimal_utf8_csv():
    rows, errors = parse_rows(read_table(MINIMAL.encode(), "db.csv"))
    assert errors == []
    assert [r.id for r in rows] == ["A1", "A2"]
    assert rows[0].alt_questions == ["버스 첫차 시간", "첫차 몇시"]
    assert rows[1].alt_questions == [] and rows[1].needs_human is False


def test_cp949_csv_reads_korean_correctly():
    rows, errors = parse_rows(read_table(MINIMAL.encode("cp949"), "db.csv"))
    assert errors == [] and rows[0].question == "시내버스 첫차는 몇 시인가요?"


def test_row_level_errors_name_row_and_column():
    data = (
        "id,category,question,answer,needs_human,valid_from\n"
        "A1,교통,첫차 시간,05:30,false,\n"
        "A1,교통,막차 시간,23:30,false,\n"          # duplicate id
        "A3,교통,,답변,false,\n"                     # empty question
        "A4,교통, 첫차  시간 ,다른 답,false,\n"       # same question as row 2
        "A5,교통,요금,1500원,maybe,\n"               # bad flag
        "A6,교통,환승,무료,true,2026-13-40\n"         # bad date
    )
    rows, errors = parse_rows(read_table(data.encode(), "db.csv"))
    assert [r.id for r in rows] == ["A1"]
    got = {(e.row, e.column) for e in errors}
    assert got == {(3, "id"), (4, "question"), (5, "question"), (6, "needs_human"), (7, "valid_from")}
    assert all("행" in str(e) for e in errors)


def test_missing_required_column():
    rows, errors = parse_rows(read_table(b"id,question\nA1,q\n", "db.csv"))
    assert rows == [] and errors[0].row == 1 and "category" in errors[0].column


def test_xlsx_roundtrip_and_formula_injection_neutralised():
    rows, _ = parse_rows(read_table(MINIMAL.encode(), "db.csv"))
    rows[0].answer = '=HYPERLINK("http://evil.example","클릭")'
    book = load_workbook(io.BytesIO(write_xlsx(rows)))
    cell = next(c.value for c in book.active[2] if c.value and "HYPERLINK" in str(c.value))
    assert cell.startswith("'=")
    assert b"'=HYPERLINK" in write_csv(rows)
    again, errors = parse_rows(read_table(write_xlsx(rows), "db.xlsx"))
    assert errors == [] and [r.id for r in again] == ["A1", "A2"]


def test_xlsx_with_dates_and_numbers():
    wb = Workbook()
    ws = wb.active
    ws.append(["id", "category", "question", "answer", "valid_to"])
    import datetime

    ws.append([101, "세금", "자동차세 연납", "1월에 신청합니다", datetime.datetime(2027, 1, 31)])
    buf = io.BytesIO()
    wb.save(buf)
    rows, errors = parse_rows(read_table(buf.getvalue(), "x.xlsx"))
    assert errors == [] and rows[0].id == "101" and rows[0].valid_to.isoformat() == "2027-01-31"


def test_corrupted_xlsx_and_unknown_type_are_clear_errors():
    with pytest.raises(TableError, match="XLSX"):
        read_table(b"PK\x03\x04 not really a zip", "db.xlsx")
    with pytest.raises(TableError, match="지원하지 않는"):
        read_table(b"...", "db.pdf")
