"""Handoff tickets on real SQLite and PostgreSQL: schema migrations, whole transcripts,
exactly-once creation under concurrent retries, RRN masking, spool ingestion."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from minwon.db.models import Ticket, TranscriptTurn
from minwon.db.session import make_engine, migrate, session_scope
from minwon.handoff.spool import ingest
from minwon.handoff.tickets import NewTicket, Turn, create_ticket, get_ticket, queue_position
from minwon.privacy import counsellor_view
from tests.databases import postgres_database, sqlite_url


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path) -> Iterator:
    if request.param == "sqlite":
        eng = make_engine(sqlite_url(tmp_path))
        migrate(eng)
        yield eng
        eng.dispose()
    else:
        with postgres_database() as url:
            eng = make_engine(url)
            migrate(eng)
            yield eng
            eng.dispose()


def _ticket(key: str | None = None, conv: str = "c1") -> NewTicket:
    return NewTicket(
        conversation_id=conv, channel="rest", reason="requested_human", dedup_key=key,
        category="교통", department="대중교통과",
        transcript=[
            Turn("user", "버스 첫차 몇 시예요", intent="ask_question", confidence=0.9,
                 candidates=[{"entry_id": "TR-001", "score": 0.91}]),
            Turn("bot", "첫차는 05:30입니다."),
            Turn("user", "제 주민번호는 900101-1234567 이고 전화는 010-1234-5678 입니다"),
            Turn("user", "상담원 연결해 주세요", intent="request_human", confidence=0.97),
        ],
    )


def _head() -> str:
    """The newest revision in the migrations folder (not a number written here, which every
    new migration would make stale)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from minwon.db.session import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return str(ScriptDirectory.from_config(cfg).get_current_head())


def test_migration_is_idempotent(engine):
    migrate(engine)  # a second start must not fail
    with engine.connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == _head()


def test_ticket_keeps_whole_transcript_masked_and_the_original_sealed(engine):
    ticket, created = create_ticket(engine, _ticket())
    assert created
    stored = get_ticket(engine, ticket.id)
    assert [m.sender for m in stored.messages] == ["user", "bot", "user", "user"]
    assert stored.messages[0].candidates == [{"entry_id": "TR-001", "score": 0.91}]
    assert stored.messages[0].intent == "ask_question"
    assert "1234567" not in stored.messages[2].text and "900101-1******" in stored.messages[2].text
    # Stored masked; the counsellor's view opens the sealed original (RRN still masked).
    assert "010-1234-5678" not in stored.messages[2].text and stored.messages[2].sealed
    view = counsellor_view(stored.messages[2].text, stored.messages[2].sealed)
    assert "010-1234-5678" in view and "900101-1******" in view
    # The summary is the citizen's matter, not the request for a person; masked.
    assert stored.summary == "제 주민번호는 900101-1****** 이고 전화는 010-****-5678 입니다"
    assert queue_position(engine, stored) == 1


def test_same_dedup_key_from_concurrent_retries_makes_one_ticket(engine):
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: create_ticket(engine, _ticket("kakao-retry-1")), range(8)))
    assert len({t.id for t, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    with session_scope(engine) as s:
        assert s.scalar(select(func.count(Ticket.id))) == 1
        assert s.scalar(select(func.count(TranscriptTurn.id))) == 4


def test_queue_positions_follow_creation_order(engine):
    first, _ = create_ticket(engine, _ticket(conv="a"))
    second, _ = create_ticket(engine, _ticket(conv="b"))
    assert queue_position(engine, first) == 1 and queue_position(engine, second) == 2


def test_spooled_tickets_are_ingested_once_and_bad_lines_kept(engine, tmp_path):
    spool = tmp_path / "spool"
    spool.mkdir()
    good = {"conversation_id": "s1", "channel": "rest", "reason": "no_match", "dedup_key": "sp-1",
            "transcript": [{"sender": "user", "text": "도와주세요"}]}
    (spool / "tickets.jsonl").write_text(
        json.dumps(good, ensure_ascii=False) + "\n{broken json\n" + json.dumps(good) + "\n", encoding="utf-8"
    )
    assert ingest(engine, spool) == 1
    assert not (spool / "tickets.jsonl").exists()
    assert "{broken json" in (spool / "tickets.rejected.jsonl").read_text(encoding="utf-8")
    with session_scope(engine) as s:
        t = s.scalar(select(Ticket).where(Ticket.dedup_key == "sp-1"))
        assert t.reason == "no_match" and t.messages[0].text == "도와주세요"
