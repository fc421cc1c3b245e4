"""The production configuration against the machine's real PostgreSQL and Redis: our API
on PostgreSQL, Rasa with endpoints.production.yml (PostgreSQL tracker store, Redis lock
store). Reuses the model trained for the end-to-end tests."""

from __future__ import annotations

import uuid

import httpx
import psycopg
import pytest

from tests.databases import postgres_database
from tests.stack import RASA_TOKEN, Stack

pytestmark = pytest.mark.slow


def test_conversation_on_postgres_and_redis(stack, tmp_path):
    with postgres_database() as api_db, postgres_database() as tracker_db:
        tracker_name = tracker_db.rsplit("/", 1)[1]
        prod = Stack(
            workdir=tmp_path,
            env={
                "MINWON_DATABASE_URL": api_db,
                "MINWON_PG_HOST": "127.0.0.1", "MINWON_PG_PORT": "5432", "MINWON_PG_DB": tracker_name,
                "MINWON_PG_USER": "postgres", "MINWON_PG_PASSWORD": "",
                "MINWON_REDIS_HOST": "127.0.0.1", "MINWON_REDIS_PORT": "6379",
                "MINWON_ACTION_HOST": "127.0.0.1",
            },
        )
        try:
            prod.start_api()
            prod.start_actions()
            prod.start_rasa(stack.model, endpoints="endpoints.production.yml")
            sender = f"prod-{uuid.uuid4().hex[:8]}"
            answer = prod.texts(prod.say(sender, "여권 재발급 준비물"))
            assert "여권" in answer and "02-0000-" in answer
            assert "상담원" in prod.texts(prod.say(sender, "상담원 연결해 주세요"))
            # The conversation is in PostgreSQL's tracker store …
            with psycopg.connect(tracker_db) as c:
                n = c.execute("SELECT count(*) FROM events WHERE sender_id = %s", (sender,)).fetchone()[0]
            assert n >= 4
            # … and the ticket with its transcript in our PostgreSQL database.
            with psycopg.connect(api_db) as c:
                reason, turns = c.execute(
                    "SELECT t.reason, count(m.id) FROM tickets t JOIN transcript_turns m ON m.ticket_id = t.id "
                    "WHERE t.conversation_id = %s GROUP BY t.reason", (sender,)
                ).fetchone()
            assert reason == "requested_human" and turns >= 3
            # (Rasa refuses to handle messages when its Redis lock store is unreachable, so the
            # replies above also show the lock store works.)
            status = httpx.get(f"{prod.rasa_url}/status", params={"token": RASA_TOKEN}, timeout=10)
            assert status.status_code == 200
            # Rasa's HTTP API is closed to anyone without the token.
            assert httpx.get(f"{prod.rasa_url}/status", timeout=10).status_code == 401
        finally:
            prod.stop_all()
