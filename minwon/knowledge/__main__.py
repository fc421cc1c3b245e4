"""Counseling-DB commands for IT staff.

    python -m minwon.knowledge validate FILE      # row-level problems, nothing written
    python -m minwon.knowledge import FILE [--by NAME]
    python -m minwon.knowledge export FILE        # .csv (UTF-8 with BOM) or .xlsx

FILE is CSV (UTF-8 or CP949) or XLSX with the columns of minwon/knowledge/rows.py; the
database is MINWON_DATABASE_URL. The running bot picks imported entries up within seconds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import select

from minwon.db.models import Entry
from minwon.db.session import make_engine, migrate, session_scope
from minwon.knowledge.files import TableError, read_path, write_csv, write_xlsx
from minwon.knowledge.rows import parse_rows
from minwon.knowledge.store import to_row, upsert
from minwon.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m minwon.knowledge", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("validate", "import", "export"):
        p = sub.add_parser(name)
        p.add_argument("file", type=Path)
        if name == "import":
            p.add_argument("--by", default="cli", help="recorded as the editor of the imported entries")
            p.add_argument("--allow-errors", action="store_true", help="import the valid rows even if some fail")
    args = parser.parse_args(argv)

    if args.command in ("validate", "import"):
        try:
            rows, errors = parse_rows(read_path(args.file))
        except (TableError, OSError) as exc:
            print(f"오류: {exc}", file=sys.stderr)
            return 2
        for e in errors:
            print(e, file=sys.stderr)
        print(f"유효한 행 {len(rows)}개, 문제가 있는 행 {len(errors)}개")
        if args.command == "validate":
            return 1 if errors else 0
        if errors and not args.allow_errors:
            print("문제가 있어 아무것도 저장하지 않았습니다 (--allow-errors 로 유효한 행만 저장).", file=sys.stderr)
            return 1
        engine = make_engine(get_settings().database_url)
        migrate(engine)
        with session_scope(engine) as s:
            n = upsert(s, rows, args.by)
        print(f"{n}개 항목을 저장했습니다.")
        return 0

    engine = make_engine(get_settings().database_url)
    migrate(engine)
    with session_scope(engine) as s:
        rows = [to_row(e) for e in s.scalars(select(Entry).where(Entry.active).order_by(Entry.id))]
    data = write_xlsx(rows) if args.file.suffix.lower() == ".xlsx" else write_csv(rows)
    args.file.write_bytes(data)
    print(f"{len(rows)}개 항목을 {args.file}에 내보냈습니다.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
