"""Editing entries one at a time: optimistic locking (a stale save is refused), every
change versioned with who/when/why, any version restorable."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from minwon.db.models import Entry, EntryVersion
from minwon.db.session import session_scope
from minwon.knowledge.rows import COLUMNS, EntryRow, parse_rows

FIELDS = [c for c in COLUMNS if c != "id"]


class EditError(Exception):
    def __init__(self, status: int, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.errors = status, message, errors or []


def snapshot(e: Entry) -> dict[str, Any]:
    data = {f: getattr(e, f) for f in FIELDS}
    for f in ("valid_from", "valid_to"):
        data[f] = data[f].isoformat() if isinstance(data[f], date) else None
    data["active"] = bool(e.active)
    return data


def record(s: Session, e: Entry, action: str, user: str, reason: str) -> None:
    s.flush()  # the version counter moves on flush
    s.add(
        EntryVersion(
            entry_id=e.id, version=e.version, action=action, data=snapshot(e), changed_by=user, reason=reason[:2000]
        )
    )


def validate(entry_id: str, fields: dict[str, Any]) -> EntryRow:
    """The same checks as a file import, for one entry."""
    rec = {c: "" for c in COLUMNS}
    for k, v in fields.items():
        if k in FIELDS:
            if isinstance(v, list):
                v = "|".join(str(x) for x in v)
            elif isinstance(v, bool):
                v = "true" if v else "false"
            rec[k] = "" if v is None else str(v)
    rec["id"] = entry_id
    rows, errors = parse_rows([rec])
    if errors:
        raise EditError(422, "입력값을 확인해 주세요.", [f"[{e.column}] {e.message}" for e in errors])
    return rows[0]


def save(
    engine: Engine,
    entry_id: str,
    fields: dict[str, Any],
    expected_version: int | None,
    user: str,
    reason: str = "",
    create: bool = False,
) -> Entry:
    """Create (``create=True``) or update an entry. An update must name the version it
    was based on: if someone saved in between, it is refused (409) and nothing changes."""
    row = validate(entry_id, fields)
    try:
        with session_scope(engine) as s:
            e = s.get(Entry, entry_id)
            if create:
                if e is not None:
                    raise EditError(409, f"이미 있는 ID입니다: {entry_id}")
                e = Entry(id=entry_id)
                s.add(e)
            elif e is None:
                raise EditError(404, f"항목을 찾을 수 없습니다: {entry_id}")
            elif expected_version is None or e.version != expected_version:
                raise EditError(
                    409,
                    f"다른 사람이 먼저 이 항목을 고쳤습니다 (지금 버전 {e.version}). "
                    "새로 불러와 바뀐 내용을 확인한 뒤 다시 저장해 주세요.",
                )
            for f in FIELDS:
                setattr(e, f, getattr(row, f))
            e.active = True
            e.updated_by = user
            record(s, e, "create" if create else "update", user, reason)
    except StaleDataError as exc:  # the other save won between our read and our write
        raise EditError(409, "다른 사람이 먼저 이 항목을 고쳤습니다. 새로 불러온 뒤 다시 저장해 주세요.") from exc
    return get(engine, entry_id)


def set_active(engine: Engine, entry_id: str, active: bool, expected_version: int, user: str, reason: str) -> Entry:
    with session_scope(engine) as s:
        e = s.get(Entry, entry_id)
        if e is None:
            raise EditError(404, f"항목을 찾을 수 없습니다: {entry_id}")
        if e.version != expected_version:
            raise EditError(409, f"다른 사람이 먼저 이 항목을 고쳤습니다 (지금 버전 {e.version}).")
        e.active, e.updated_by = active, user
        record(s, e, "update" if active else "deactivate", user, reason)
    return get(engine, entry_id)


def revert(engine: Engine, entry_id: str, to_version: int, user: str, reason: str = "") -> Entry:
    with session_scope(engine) as s:
        old = s.scalar(
            select(EntryVersion)
            .where(EntryVersion.entry_id == entry_id, EntryVersion.version == to_version)
            .order_by(EntryVersion.id.desc())
        )
        e = s.get(Entry, entry_id)
        if old is None or e is None:
            raise EditError(404, f"되돌릴 버전을 찾을 수 없습니다: {entry_id} v{to_version}")
        data = dict(old.data)
        row = validate(entry_id, data)
        for f in FIELDS:
            setattr(e, f, getattr(row, f))
        e.active = bool(data.get("active", True))
        e.updated_by = user
        record(s, e, "revert", user, reason or f"버전 {to_version}(으)로 되돌림")
    return get(engine, entry_id)


def get(engine: Engine, entry_id: str) -> Entry:
    with session_scope(engine) as s:
        e = s.get(Entry, entry_id)
    if e is None:
        raise EditError(404, f"항목을 찾을 수 없습니다: {entry_id}")
    return e


def history(engine: Engine, entry_id: str) -> list[EntryVersion]:
    with session_scope(engine) as s:
        return list(
            s.scalars(select(EntryVersion).where(EntryVersion.entry_id == entry_id).order_by(EntryVersion.id.desc()))
        )


def row_dict(row: EntryRow) -> dict[str, Any]:
    d = asdict(row)
    d.pop("row", None)
    return d
