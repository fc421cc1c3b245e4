"""Our API alone, as a real process on a real database, for queue and durability tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from devtools.databases import postgres_database, sqlite_url
from devtools.stack import SERVICE_HEADERS, Stack


@contextmanager
def api_on(kind: str, workdir: Path) -> Iterator[Stack]:
    """``kind`` is sqlite or postgresql. Dense retrieval is off: these tests are about
    tickets, and the API starts in about a second without the encoder."""
    with _database(kind, workdir) as url:
        stack = Stack(workdir=workdir, env={"MINWON_DATABASE_URL": url, "MINWON_RETRIEVAL__DENSE_BACKEND": "none"})
        try:
            stack.start_api()
            yield stack
        finally:
            stack.stop_all()


@contextmanager
def _database(kind: str, workdir: Path) -> Iterator[str]:
    if kind == "postgresql":
        with postgres_database() as url:
            yield url
    else:
        yield sqlite_url(workdir)


def new_ticket(stack: Stack, i: int, client: httpx.Client | None = None, turns: int = 5) -> httpx.Response:
    body = {
        "conversation_id": f"conv-{i}", "channel": "rest", "reason": "requested_human", "dedup_key": f"key-{i}",
        "transcript": [{"sender": "user" if n % 2 == 0 else "bot", "text": f"질문 {i}-{n}", "intent": "ask_question",
                        "confidence": 0.5} for n in range(turns)],
    }
    return (client or httpx).post(f"{stack.api_url}/api/handoff/tickets", json=body, timeout=30,
                                     headers=SERVICE_HEADERS)
