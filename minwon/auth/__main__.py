"""IT staff: ``python -m minwon.auth add-user NAME --role counsellor`` (password on stdin)."""

from __future__ import annotations

import argparse
import getpass
import sys

from minwon.auth.accounts import ROLES, AuthError, create_user, list_users
from minwon.db.session import make_engine, migrate
from minwon.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m minwon.auth", description="콘솔 사용자 관리")
    sub = p.add_subparsers(dest="cmd", required=True)
    add = sub.add_parser("add-user", help="사용자 추가 (비밀번호는 표준 입력으로)")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, default="counsellor")
    add.add_argument("--name", default="")
    add.add_argument("--department", default="")
    sub.add_parser("list-users", help="사용자 목록")
    args = p.parse_args(argv)
    engine = make_engine(get_settings().database_url)
    migrate(engine)
    if args.cmd == "list-users":
        for u in list_users(engine):
            print(f"{u.username}\t{u.role}\t{u.display_name}\t{'active' if u.active else 'inactive'}")
        return 0
    password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass("비밀번호: ")
    try:
        create_user(engine, args.username, password, args.role, args.name, args.department)
    except AuthError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"사용자를 만들었습니다: {args.username} ({args.role})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
