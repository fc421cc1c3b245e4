"""Counseling-DB entries in the database."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from minwon.db.models import Entry
from minwon.db.session import session_scope
from minwon.knowledge.files import read_path
from minwon.knowledge.rows import EntryRow, RowError, parse_rows
from minwon.retrieval.documents import EntryDoc


def to_doc(e: Entry) -> EntryDoc:
    return EntryDoc(
        id=e.id, question=e.question, alt_questions=tuple(e.alt_questions or ()),
        answer=e.answer, spoken_answer=e.spoken_answer or "", category=e.category,
        subcategory=e.subcategory, department=e.department, phone=e.phone,
        needs_human=bool(e.needs_human), keywords=tuple(e.keywords or ()),
        valid_from=e.valid_from, valid_to=e.valid_to, version=e.version,
    )


def to_row(e: Entry) -> EntryRow:
    return EntryRow(
        id=e.id, agency=e.agency, category=e.category, subcategory=e.subcategory,
        question=e.question, alt_questions=list(e.alt_questions or []), answer=e.answer,
        spoken_answer=e.spoken_answer, department=e.department, phone=e.phone,
        needs_human=e.needs_human, keywords=list(e.keywords or []),
        valid_from=e.valid_from, valid_to=e.valid_to,
    )


def upsert(session: Session, rows: Iterable[EntryRow], updated_by: str, reason: str = "") -> int:
    """Create or update entries from rows; each entry that changed gets a version record."""
    from minwon.knowledge.editing import record, snapshot

    count = 0
    existing = {e.id: e for e in session.scalars(select(Entry))}
    for r in rows:
        e = existing.get(r.id)
        before = snapshot(e) if e is not None else None
        if e is None:
            e = Entry(id=r.id)
            session.add(e)
        for field in (
            "agency", "category", "subcategory", "question", "alt_questions", "answer",
            "spoken_answer", "department", "phone", "needs_human", "keywords",
            "valid_from", "valid_to",
        ):
            setattr(e, field, getattr(r, field))
        e.active = True
        e.updated_by = updated_by
        if before is None or snapshot(e) != before:
            record(session, e, "import", updated_by, reason)
        count += 1
    return count


def import_file(engine: Engine, path: str, updated_by: str = "import") -> tuple[int, list[RowError]]:
    rows, errors = parse_rows(read_path(path))
    with session_scope(engine) as s:
        n = upsert(s, rows, updated_by)
    return n, errors


def active_docs(engine: Engine) -> list[EntryDoc]:
    with session_scope(engine) as s:
        return [to_doc(e) for e in s.scalars(select(Entry).where(Entry.active).order_by(Entry.id))]


def fingerprint(engine: Engine) -> tuple[int, str]:
    """Cheap change detector: entry count and newest update (any process may edit)."""
    with session_scope(engine) as s:
        n, newest, versions = s.execute(
            select(func.count(Entry.id), func.max(Entry.updated_at), func.sum(Entry.version))
        ).one()
    return int(n or 0), f"{newest}|{versions}"


def count(engine: Engine) -> int:
    with session_scope(engine) as s:
        return int(s.scalar(select(func.count(Entry.id))) or 0)
